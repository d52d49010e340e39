import { queryOptions, useQuery } from '@tanstack/react-query';
import type { StudyRole } from '../../../../shared/schemas/study-access.ts';
import { fetchHealth, fetchRecord, fetchRecordPage, fetchStudies } from '../../http/api.ts';
import { fetchModels } from '../../http/research-api.ts';
import { queryKeys, type PageRequest } from '../../query/query-keys.ts';

/** Console-wide server data: the server's version, the declared models, the studies and their records. */

export function useServerHealth() {
  return useQuery({
    queryKey: queryKeys.health(),
    queryFn: ({ signal }) => fetchHealth(signal),
    // The version does not change under a running page.
    staleTime: Infinity,
  });
}

/** The models the forms offer. Without them the forms still work: names are typed and the server checks them. */
export function useDeclaredModels() {
  return useQuery({
    queryKey: queryKeys.models(),
    queryFn: ({ signal }) => fetchModels(signal),
    staleTime: 5 * 60_000,
  });
}

// Read once per sign-in: the list changes by imports, which this page invalidates, or from the command line, which
// the studies page's Refresh button is for.
const studiesQuery = queryOptions({
  queryKey: queryKeys.studies(),
  queryFn: ({ signal }) => fetchStudies(signal),
  staleTime: Infinity,
});

export function useStudies() {
  return useQuery(studiesQuery);
}

/** One study's summary from the studies list (undefined while it loads, or when there is no such study). */
export function useStudy(studyId: string | null) {
  return useQuery({ ...studiesQuery, select: (studies) => studies.find((s) => s.id === studyId) }).data;
}

/** One page of a study's records; the shown page stays while the next page of the same study loads. */
export function useRecordPage(studyId: string | null, page: PageRequest) {
  return useQuery({
    queryKey: queryKeys.records(studyId ?? '', page),
    queryFn: ({ signal }) => fetchRecordPage(studyId ?? '', page, signal),
    enabled: studyId !== null,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === studyId ? previous : undefined),
  });
}

export function useRecord(studyId: string | null, problemId: string | null) {
  return useQuery({
    queryKey: queryKeys.record(studyId ?? '', problemId ?? ''),
    queryFn: ({ signal }) => fetchRecord(studyId ?? '', problemId ?? '', signal),
    enabled: studyId !== null && problemId !== null,
  });
}

/** The signed-in researcher's role in a study (undefined while the list loads, or when they have none). */
export function useStudyRole(studyId: string | null): StudyRole | undefined {
  return useStudy(studyId)?.myRole;
}
