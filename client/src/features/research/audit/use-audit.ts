import { useQuery } from '@tanstack/react-query';
import { fetchAuditPage } from '../../../http/study-access-api.ts';
import { queryKeys, type PageRequest } from '../../../query/query-keys.ts';

/** One page of a study's audit log; the shown page stays while the next one loads. */
export function useAuditPage(studyId: string, page: PageRequest) {
  return useQuery({
    queryKey: queryKeys.auditPage(studyId, page),
    queryFn: ({ signal }) => fetchAuditPage(studyId, page, signal),
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === studyId ? previous : undefined),
    // Others add entries while the tab is open (an export, a deletion): opening the tab again reads it afresh.
    refetchOnMount: 'always',
  });
}
