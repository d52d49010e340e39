import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { GoldItem } from '../../../../../shared/schemas/live-study.ts';
import { addGoldItem, fetchAssignments } from '../../../http/study-admin-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** Re-read while the tab is open, so claims and completions show up as people work. */
export const ASSIGNMENTS_POLL_MS = 5000;

/** Who has played and rated what in the study. */
export function useAssignments(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.assignments(studyId ?? ''),
    queryFn: ({ signal }) => fetchAssignments(studyId ?? '', signal),
    enabled: studyId !== null,
    refetchInterval: ASSIGNMENTS_POLL_MS,
  });
}

/** Adds one attention item; it shows in the ratings table at once. */
export function useAddGoldItem(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (item: GoldItem) => addGoldItem(studyId, item),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.assignments(studyId) }),
  });
}
