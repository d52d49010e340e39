import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { useAppStore } from '../store/index.ts';
import { MAX_RETRIES, isRetryable } from './retry.ts';

/**
 * The researcher console's server-data cache. Only the console's lazy chunk imports this module, so a participant's
 * first page never downloads TanStack Query.
 */

// A 401 from any research call ends the session: back to the sign-in card (the cache is cleared below).
const expire = (err: unknown): void => void useAppStore.getState().expireSessionOn(err);

function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: expire }),
    mutationCache: new MutationCache({ onError: expire }),
    defaultOptions: {
      queries: {
        retry: (failures, err) => failures < MAX_RETRIES && isRetryable(err),
        // Reports are computed on request (bootstrap resamples): switching windows must not recompute them. What
        // changes by itself (runs in progress, live sessions, assignments) is polled by its own query instead.
        refetchOnWindowFocus: false,
      },
      // A repeated POST could start a second run or invite: the researcher decides whether to try again.
      mutations: { retry: false },
    },
  });
}

export const queryClient = createQueryClient();

// Signing out (or a session that ended) forgets every study's data: the next researcher on this browser starts empty.
useAppStore.subscribe((state, previous) => {
  if (previous.authStatus === 'signed-in' && state.authStatus !== 'signed-in') queryClient.clear();
});
