import { useSyncExternalStore } from 'react';
import { sessionStore } from '@/shared/api/session';

const hasSession = () => sessionStore.get() !== null;

/** True while the tab holds tokens; flips to false on logout or a refused refresh. */
export function useIsAuthenticated(): boolean {
  return useSyncExternalStore(sessionStore.subscribe, hasSession, hasSession);
}
