import { useEffect, useState } from 'react';
import { ParticipantStudySchema, type ParticipantStudy } from '../../../../shared/schemas/api-auth.ts';
import { getJson } from '../../http/request.ts';
import { useAppStore } from '../../store/index.ts';
import { useParticipantPreview } from './preview-context.ts';

// One request per participant session: the instructions and the time estimate do not change during a visit.
const cache = new Map<string, Promise<ParticipantStudy>>();

/**
 * The study as the participant may see it (GET /api/participant/study): their role's consent, instructions and time
 * estimate. null until it arrives, or when it cannot be read (the pages then show their built-in texts).
 */
export function useParticipantStudy(): ParticipantStudy | null {
  const preview = useParticipantPreview();
  const participantId = useAppStore((s) => s.participant?.participantId ?? null);
  const [study, setStudy] = useState<ParticipantStudy | null>(null);
  useEffect(() => {
    if (participantId === null) return;
    let live = true;
    let pending = cache.get(participantId);
    if (!pending) {
      pending = getJson('/api/participant/study', ParticipantStudySchema);
      cache.set(participantId, pending);
      // A failed read is asked again next time rather than remembered.
      pending.catch(() => cache.delete(participantId));
    }
    pending.then(
      (s) => live && setStudy(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [participantId]);
  return preview ? preview.study : study;
}
