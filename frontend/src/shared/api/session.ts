import type { components } from '@/api/schema';

/** The two tokens kept for the browser tab (sessionStorage: gone when the tab closes). */
export type SessionTokens = Pick<components['schemas']['TokenResponse'], 'access_token' | 'refresh_token'>;

const STORAGE_KEY = 'mesa.session';
const listeners = new Set<() => void>();

function read(): SessionTokens | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      'access_token' in value &&
      'refresh_token' in value &&
      typeof value.access_token === 'string' &&
      typeof value.refresh_token === 'string'
    ) {
      return { access_token: value.access_token, refresh_token: value.refresh_token };
    }
  } catch {
    // Unreadable storage or corrupt JSON: behave as logged out.
  }
  return null;
}

function notify() {
  for (const listener of listeners) listener();
}

export const sessionStore = {
  get: read,
  set(tokens: SessionTokens) {
    sessionStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ access_token: tokens.access_token, refresh_token: tokens.refresh_token }),
    );
    notify();
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
    notify();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
