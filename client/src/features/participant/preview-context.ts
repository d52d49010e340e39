import { createContext, useContext } from 'react';
import type { ParticipantStudy } from '../../../../shared/schemas/api-auth.ts';
import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import type { ParticipantJourney } from '../../../../shared/schemas/participant-outcome.ts';

/** What the participant did on a previewed step: the preview moves on to the next step instead of asking the server. */
export type PreviewAction = 'screening-yes' | 'screening-no' | 'consent' | 'instructions' | 'practice' | 'more';

/**
 * The researcher's preview of the participant pages (docs/researcher-console.md). Inside it, the participant pages
 * read the study's texts and the journey from here instead of the participant session, and their buttons call
 * `advance` instead of the server: a preview has no participant, so nothing could be recorded.
 */
export interface ParticipantPreview {
  role: ParticipantRole;
  study: ParticipantStudy;
  /** The journey as the done page reads it, with the end the researcher chose to look at. */
  journey: ParticipantJourney;
  advance: (action: PreviewAction) => void;
}

export const ParticipantPreviewContext = createContext<ParticipantPreview | null>(null);

/** The preview the page is shown in, or null on a participant's real visit. */
export function useParticipantPreview(): ParticipantPreview | null {
  return useContext(ParticipantPreviewContext);
}
