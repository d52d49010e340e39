import { useQuery } from '@tanstack/react-query';
import { ParticipantPreviewSchema } from '../../../../../shared/schemas/api-preview.ts';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import { getJson } from '../../../http/request.ts';

/**
 * GET /api/studies/:studyId/preview/:role: what a participant of the role is shown. Under the study's key, so saving
 * the settings (which refreshes the study's queries) refreshes an open preview; read again whenever it opens.
 */
export function useParticipantPreviewData(studyId: string, role: ParticipantRole, enabled: boolean) {
  return useQuery({
    queryKey: ['study', studyId, 'preview', role] as const,
    queryFn: ({ signal }) =>
      getJson(`/api/studies/${encodeURIComponent(studyId)}/preview/${role}`, ParticipantPreviewSchema, signal),
    enabled,
    refetchOnMount: 'always',
  });
}
