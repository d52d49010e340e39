import { useQuery } from '@tanstack/react-query';
import { fetchAgreement } from '../../../http/research-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** The study's agreement report, computed on request (Recompute reads it again). */
export function useAgreement(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.agreement(studyId ?? ''),
    queryFn: ({ signal }) => fetchAgreement(studyId ?? '', signal),
    enabled: studyId !== null,
  });
}
