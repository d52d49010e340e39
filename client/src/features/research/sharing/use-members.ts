import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AddStudyMemberBody, StudyRole } from '../../../../../shared/schemas/study-access.ts';
import { addMember, changeMemberRole, fetchMembers, removeMember } from '../../../http/study-access-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** A study's members, and giving, changing and taking away their roles (owners only). */

export function useMembers(studyId: string) {
  return useQuery({
    queryKey: queryKeys.members(studyId),
    queryFn: ({ signal }) => fetchMembers(studyId, signal),
  });
}

// Every change is written to the audit log, and may change the caller's own role (an owner who steps down), which the
// studies list carries: all three are read again.
function afterChange(queryClient: QueryClient, studyId: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.members(studyId) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.auditLog(studyId) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.studies() }),
  ]);
}

export function useAddMember(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddStudyMemberBody) => addMember(studyId, body),
    onSuccess: () => afterChange(queryClient, studyId),
  });
}

export function useChangeMemberRole(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ researcherId, role }: { researcherId: string; role: StudyRole }) =>
      changeMemberRole(studyId, researcherId, role),
    onSuccess: () => afterChange(queryClient, studyId),
  });
}

export function useRemoveMember(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (researcherId: string) => removeMember(studyId, researcherId),
    onSuccess: () => afterChange(queryClient, studyId),
  });
}
