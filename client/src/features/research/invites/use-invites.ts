import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InviteRevokeMode, UpdateInviteBody } from '../../../../../shared/schemas/api-studies.ts';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import { createInvite, fetchInvites, revokeInvite, updateInvite } from '../../../http/study-admin-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** A study's invitation links, one list for actors and raters. */

export function useInvites(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.invites(studyId ?? ''),
    queryFn: ({ signal }) => fetchInvites(studyId ?? '', signal),
    enabled: studyId !== null,
  });
}

/** A new link for a role; the list is read again after. */
export function useCreateInvite(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (role: ParticipantRole) => createInvite(studyId, role),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.invites(studyId) }),
  });
}

/** A link's label, cap or expiry changed. */
export function useUpdateInvite(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code: string; body: UpdateInviteBody }) => updateInvite(studyId, code, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.invites(studyId) }),
  });
}

export function useRevokeInvite(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, mode }: { code: string; mode: InviteRevokeMode }) => revokeInvite(studyId, code, mode),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.invites(studyId) }),
  });
}
