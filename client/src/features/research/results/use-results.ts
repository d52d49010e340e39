import { useQuery } from '@tanstack/react-query';
import { fetchResults } from '../../../http/research-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** The study's PrefDisco metrics, computed on request (Recompute reads them again). */
export function useResults(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.results(studyId ?? ''),
    queryFn: ({ signal }) => fetchResults(studyId ?? '', signal),
    enabled: studyId !== null,
  });
}
