import { afterEach } from 'vitest';

// Files that opt into the node environment (schema.test.ts) have no DOM to clean.
if (typeof document !== 'undefined') {
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => {
    cleanup();
    localStorage.clear();
    sessionStorage.clear();
    document.documentElement.lang = '';
  });
}
