import { z } from 'zod';
import { ParticipantConsentSchema } from './consent.ts';
import { ParticipantLanguageSchema } from './participant-language.ts';

/**
 * How a participant's task ended, stored once per participant so the end (and the completion code they need to be
 * paid) can be shown again on another device or after clearing the browser (docs/studies-and-ratings.md, Prolific).
 */
export const PARTICIPANT_OUTCOMES = ['completed', 'failed_attention', 'timed_out', 'screened_out', 'no_work'] as const;
export const ParticipantOutcomeKindSchema = z.enum(PARTICIPANT_OUTCOMES);
export type ParticipantOutcomeKind = z.infer<typeof ParticipantOutcomeKindSchema>;

/** The settings key (completionCodes / completionUrls) of each outcome. */
export const OUTCOME_SETTING_KEY = {
  completed: 'completed',
  failed_attention: 'failedAttention',
  timed_out: 'timedOut',
  screened_out: 'screenedOut',
  no_work: 'noWork',
} as const satisfies Record<ParticipantOutcomeKind, string>;

/**
 * Which outcome stands when a participant ends more than once (an actor who timed out, then finished another play):
 * a finished task outranks a partial one, and a screen-out is final. An equal rank replaces (the newer code and time).
 */
const RANK: Record<ParticipantOutcomeKind, number> = {
  timed_out: 1,
  no_work: 1,
  completed: 2,
  failed_attention: 2,
  screened_out: 3,
};

/** Whether `next` replaces the stored outcome `current` (null: nothing stored yet). */
export function outcomeReplaces(current: ParticipantOutcomeKind | null, next: ParticipantOutcomeKind): boolean {
  return current === null || RANK[next] >= RANK[current];
}

/** What a participant sees of their end: the outcome, its completion code and where Prolific wants them sent. */
export const ParticipantOutcomeViewSchema = z.object({
  outcome: ParticipantOutcomeKindSchema,
  /** The code shown when the task ended (kept as it was then); null when the study had none for this outcome. */
  completionCode: z.string().nullable(),
  /** The study's completion URL for this outcome now (researchers may correct it); null when none is set. */
  completionUrl: z.string().nullable(),
  at: z.string(),
});
export type ParticipantOutcomeView = z.infer<typeof ParticipantOutcomeViewSchema>;

/** `GET /api/participant/journey`: what the participant's way through the study depends on. */
export const ParticipantJourneySchema = z.object({
  /** Their stored end, once their task has ended; null while they are still at work. */
  outcome: ParticipantOutcomeViewSchema.nullable(),
  /** The yes/no question asked before consent; '' when the study asks none. */
  screeningQuestion: z.string(),
  /** What a rater with quota left but nothing to rate sees: a page that checks again, or the noWork code. */
  outOfWork: z.object({ policy: z.enum(['wait', 'code']), waitMinutes: z.number().int() }),
  /** An actor's plays left under the study's `playsPerActor` quota (0: nothing more to ask for); null for raters. */
  playsLeft: z.number().int().min(0).nullable(),
  /** The language the study's participant pages are shown in. */
  participantLanguage: ParticipantLanguageSchema,
  /** The consent step: the exact text to show, its hash, and the participant's stored decision (docs/data-protection.md). */
  consent: ParticipantConsentSchema,
});
export type ParticipantJourney = z.infer<typeof ParticipantJourneySchema>;

/** `POST /api/participant/screening`: the answer to the screening question. */
export const ScreeningBodySchema = z.strictObject({ answer: z.enum(['yes', 'no']) });
export type ScreeningBody = z.infer<typeof ScreeningBodySchema>;

/** Prolific participant ids are 24 hexadecimal characters (a MongoDB ObjectId). */
const PROLIFIC_PID_FORMAT = /^[0-9a-f]{24}$/i;

export function isProlificPidFormat(pid: string): boolean {
  return PROLIFIC_PID_FORMAT.test(pid);
}
