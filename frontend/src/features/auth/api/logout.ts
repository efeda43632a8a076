import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/shared/api/client';
import { sessionStore } from '@/shared/api/session';

/** POST /api/v1/auth/logout — revokes the refresh token. Local logout happens even if this fails. */
export async function logout(): Promise<void> {
  const tokens = sessionStore.get();
  if (!tokens) return;
  try {
    await api.POST('/api/v1/auth/logout', { body: { refresh_token: tokens.refresh_token } });
  } catch {
    // Offline: the refresh token expires on its own.
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      sessionStore.clear();
      queryClient.clear();
    },
  });
}
