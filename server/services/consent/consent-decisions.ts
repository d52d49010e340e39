import { AppError } from '../../../shared/errors.ts';
import type { ConsentBody, ParticipantConsent } from '../../../shared/schemas/consent.ts';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type { Storage } from '../../storage/storage.ts';
import { shownConsent } from './consent-text.ts';

export interface ConsentParticipant {
  studyId: string;
  participantId: string;
  role: ParticipantRole;
}

/** The consent step of a participant's journey: the text shown now, and their stored decision. */
export async function participantConsent(
  storage: Storage,
  participant: ConsentParticipant,
): Promise<ParticipantConsent> {
  const [settings, stored] = await Promise.all([
    storage.work.getSettings(participant.studyId),
    storage.consent.getDecision(participant.participantId),
  ]);
  const shown = shownConsent(settings, participant.role);
  return {
    text: shown.text,
    sha256: shown.sha256,
    decision: stored?.decision ?? null,
    decidedAt: stored?.decidedAt ?? null,
  };
}

/**
 * Stores the participant's decision on the text the page showed. The server works out that text itself; a hash that
 * names another text (the study changed its consent after the page loaded it) is refused, so no one is recorded as
 * agreeing to words they never saw. Deciding the same again is harmless; the other decision is a `conflict`.
 */
export async function decideConsent(
  deps: { storage: Storage; now: () => Date },
  participant: ConsentParticipant,
  body: ConsentBody,
): Promise<void> {
  const decision = body.agreed ? 'agreed' : 'refused';
  const stored = await deps.storage.consent.getDecision(participant.participantId);
  if (stored?.decision === decision) return;
  const shown = shownConsent(await deps.storage.work.getSettings(participant.studyId), participant.role);
  if (stored === null && body.sha256 !== shown.sha256) {
    throw new AppError(
      'conflict',
      'the study changed its consent text after this page loaded it: reload the page and read the current text',
      { details: { currentSha256: shown.sha256 } },
    );
  }
  await deps.storage.consent.recordDecision({
    participantId: participant.participantId,
    studyId: participant.studyId,
    role: participant.role,
    language: shown.language,
    text: shown.text,
    sha256: shown.sha256,
    decision,
    now: deps.now(),
  });
}

/**
 * The gate before any work: no episode or rating exists for someone who did not agree. Play and rating starts call it.
 */
export async function requireAgreedConsent(storage: Storage, participantId: string): Promise<void> {
  const stored = await storage.consent.getDecision(participantId);
  if (stored?.decision === 'agreed') return;
  throw new AppError(
    'forbidden',
    stored
      ? 'you chose not to take part in this study, so there is no task for you'
      : 'please agree to the study’s consent before starting: reload the page to see it',
  );
}
