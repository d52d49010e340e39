import { useQuery } from '@tanstack/react-query';
import { fetchResults } from '../../../http/research-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/**
 * The study's PrefDisco metrics, computed on request (Recompute reads them again); with `sameRecords`, computed by the
 * server over the records every row covers.
 */
export function useResults(studyId: string | null, sameRecords = false) {
  return useQuery({
    queryKey: queryKeys.results(studyId ?? '', sameRecords),
    queryFn: ({ signal }) => fetchResults(studyId ?? '', sameRecords, signal),
    enabled: studyId !== null,
  });
}
