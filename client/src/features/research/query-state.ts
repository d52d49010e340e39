import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from '../../http/request.ts';

/** LoadState's inputs from a query. */
export interface QueryState {
  loading: boolean;
  error: string | null;
  loaded: boolean;
}

/**
 * What a tab shows of a query: a poll (`polled`) never flashes the loading bar, a first load, a Retry or a
 * Recompute does. A failure shows until an answer comes, polled or not.
 */
export function queryState(query: UseQueryResult<unknown>, polled = false): QueryState {
  return {
    loading: polled ? query.isLoading : query.isFetching,
    error: query.error ? errorMessage(query.error) : null,
    loaded: query.data !== undefined,
  };
}
