import { QueryClient } from '@tanstack/react-query';

function status(error: unknown): number | null {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : null;
}

export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  const retry = options.retry ?? true;
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Problems with a 4xx status will not change by asking again.
        retry: (failureCount, error) => {
          if (!retry) return false;
          const code = status(error);
          return (code === null || code >= 500) && failureCount < 2;
        },
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
