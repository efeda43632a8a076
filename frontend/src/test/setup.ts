import { afterEach } from 'vitest';

// Files that opt into the node environment (schema.test.ts) have no DOM to clean.
if (typeof document !== 'undefined') {
  // happy-dom has no FontFaceSet; Mantine's autosizing Textarea listens to it.
  if (!('fonts' in document) || !document.fonts) {
    Object.defineProperty(document, 'fonts', { value: new EventTarget(), configurable: true });
  }
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => {
    cleanup();
    localStorage.clear();
    sessionStorage.clear();
    document.documentElement.lang = '';
  });
}
