import { AppError } from '../../../shared/errors.ts';
import { LiveStudySettingsSchema, type LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import {
  OUTCOME_SETTING_KEY,
  type ParticipantJourney,
  type ParticipantOutcomeKind,
  type ParticipantOutcomeView,
} from '../../../shared/schemas/participant-outcome.ts';
import type { Storage } from '../../storage/storage.ts';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type { ParticipantOutcome } from '../../storage/study-work-storage.ts';
import { participantConsent } from '../consent/consent-decisions.ts';

/** A participant as the transport has authenticated them. */
export interface OutcomeParticipant {
  studyId: string;
  participantId: string;
}

export interface OutcomeDeps {
  storage: Storage;
  now: () => Date;
}

/** A study without saved settings behaves with the defaults (no codes, no URLs, no screening). */
async function settingsOf(storage: Storage, studyId: string): Promise<LiveStudySettings> {
  return (await storage.work.getSettings(studyId)) ?? LiveStudySettingsSchema.parse({});
}

/** The study's completion code for an outcome, or null when it has none. */
export function completionCodeFor(settings: LiveStudySettings, outcome: ParticipantOutcomeKind): string | null {
  return settings.completionCodes[OUTCOME_SETTING_KEY[outcome]] || null;
}

/**
 * What the participant is shown of a stored outcome: the code they were given then (a code changed later does not
 * change what they were told), and the study's completion URL for that outcome now (a wrong URL can be corrected).
 */
export function outcomeView(stored: ParticipantOutcome, settings: LiveStudySettings): ParticipantOutcomeView {
  return {
    outcome: stored.outcome,
    completionCode: stored.completionCode,
    completionUrl: settings.completionUrls[OUTCOME_SETTING_KEY[stored.outcome]] || null,
    at: stored.endedAt,
  };
}

/**
 * Ends the participant's task with `outcome` and the study's code for it, unless a higher outcome is stored already
 * (then that one stands). Returns the code now in force for the participant.
 */
export async function endTask(
  deps: OutcomeDeps,
  participant: OutcomeParticipant,
  outcome: ParticipantOutcomeKind,
  settings?: LiveStudySettings,
): Promise<string | null> {
  const s = settings ?? (await settingsOf(deps.storage, participant.studyId));
  const stored = await deps.storage.work.recordOutcome({
    studyId: participant.studyId,
    participantId: participant.participantId,
    outcome,
    completionCode: completionCodeFor(s, outcome),
    now: deps.now(),
  });
  return stored.completionCode;
}

/** Whether the participant answered "no" to the screening question: they may not take work. */
export async function isScreenedOut(storage: Storage, participantId: string): Promise<boolean> {
  return (await storage.work.getOutcome(participantId))?.outcome === 'screened_out';
}

/** What the participant's pages need: their stored end (if any), the screening question and the out-of-work policy. */
export async function participantJourney(
  storage: Storage,
  participant: OutcomeParticipant & { role: ParticipantRole },
): Promise<ParticipantJourney> {
  const [settings, stored, plays, consent] = await Promise.all([
    settingsOf(storage, participant.studyId),
    storage.work.getOutcome(participant.participantId),
    participant.role === 'actor' ? storage.work.playsTaken(participant.studyId, participant.participantId) : null,
    participantConsent(storage, participant),
  ]);
  return {
    outcome: stored ? outcomeView(stored, settings) : null,
    screeningQuestion: settings.screeningQuestion,
    outOfWork: { policy: settings.outOfWork.policy, waitMinutes: settings.outOfWork.waitMinutes },
    // The done page offers "another task" only while one can come.
    playsLeft: plays === null ? null : Math.max(0, settings.quotas.playsPerActor - plays),
    participantLanguage: settings.participantLanguage,
    consent,
  };
}

/**
 * The answer to the screening question. "no" ends the task as screened out (stored, with the screenedOut code); "yes"
 * stores nothing. A participant whose task has already ended keeps that end: the answer changes nothing then.
 */
export async function answerScreening(
  deps: OutcomeDeps,
  participant: OutcomeParticipant & { role: ParticipantRole },
  answer: 'yes' | 'no',
): Promise<ParticipantJourney> {
  const settings = await settingsOf(deps.storage, participant.studyId);
  if (settings.screeningQuestion === '') {
    throw new AppError('conflict', 'this study asks no screening question');
  }
  const stored = await deps.storage.work.getOutcome(participant.participantId);
  if (answer === 'no' && stored === null) await endTask(deps, participant, 'screened_out', settings);
  return participantJourney(deps.storage, participant);
}
