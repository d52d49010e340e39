import { useQuery } from '@tanstack/react-query';
import { fetchEpisode } from '../../../http/research-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** Any stored episode (batch, live or twin) with its whole event log. */
export function useStoredEpisode(episodeId: string | null) {
  return useQuery({
    queryKey: queryKeys.storedEpisode(episodeId ?? ''),
    queryFn: ({ signal }) => fetchEpisode(episodeId ?? '', signal),
    enabled: episodeId !== null,
  });
}
