import { afterEach } from 'vitest';

// Files that opt into the node environment (schema.test.ts) have no DOM to clean.
if (typeof document !== 'undefined') {
  // happy-dom has no FontFaceSet; Mantine's autosizing Textarea listens to it.
  if (!('fonts' in document) || !document.fonts) {
    Object.defineProperty(document, 'fonts', { value: new EventTarget(), configurable: true });
  }
  const { cleanup, configure } = await import('@testing-library/react');
  // findBy*/waitFor give up after 5 s instead of 1 s: on a loaded CI machine a page's first
  // render with its lazy chunks can take longer than a second.
  configure({ asyncUtilTimeout: 5_000 });
  afterEach(() => {
    cleanup();
    localStorage.clear();
    sessionStorage.clear();
    document.documentElement.lang = '';
  });
}
