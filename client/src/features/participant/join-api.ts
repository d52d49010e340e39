import { z } from 'zod';
import { JoinResultSchema, type JoinBody } from '../../../../shared/schemas/auth.ts';
import type { ConsentBody } from '../../../../shared/schemas/consent.ts';
import { ParticipantJourneySchema, type ParticipantJourney } from '../../../../shared/schemas/participant-outcome.ts';
import { getJson, postJson } from '../../http/request.ts';

/**
 * POST /api/join/:code (docs/security.md): sets the participant's session cookie. `consentText` is read when the
 * server sends it; today it does not, and the consent step falls back to the default text.
 */
const JoinResponseSchema = JoinResultSchema.extend({ consentText: z.string().optional() });
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

export function joinStudy(code: string, body: JoinBody): Promise<JoinResponse> {
  return postJson(`/api/join/${encodeURIComponent(code)}`, body, JoinResponseSchema);
}

/** GET /api/participant/journey: the screening question, the out-of-work policy, and the stored end once there is one. */
export function fetchJourney(): Promise<ParticipantJourney> {
  return getJson('/api/participant/journey', ParticipantJourneySchema);
}

/** POST /api/participant/screening: "no" ends the participant's task as screened out (the answer has the end). */
export function sendScreeningAnswer(answer: 'yes' | 'no'): Promise<ParticipantJourney> {
  return postJson('/api/participant/screening', { answer }, ParticipantJourneySchema);
}

/**
 * POST /api/participant/consent: the decision on the consent text the page showed, named by its SHA-256 (the
 * journey's `consent.sha256`). A `conflict` means the study changed its consent since: the page shows the new text.
 */
export function sendConsent(body: ConsentBody): Promise<ParticipantJourney> {
  return postJson('/api/participant/consent', body, ParticipantJourneySchema);
}
