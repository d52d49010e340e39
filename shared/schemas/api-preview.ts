import { z } from 'zod';
import { PersonaSchema } from './persona.ts';
import { PreferenceSchema } from './preference.ts';
import { CriterionSchema } from './rubric.ts';
import { ParticipantStudySchema } from './api-auth.ts';
import { ParticipantRoleSchema } from './identity.ts';
import { BlindRatingItemSchema } from './live-study.ts';
import { ParticipantJourneySchema, ParticipantOutcomeKindSchema } from './participant-outcome.ts';

/**
 * `GET /api/studies/:studyId/preview/:role` (researchers only): everything the participant pages of one role show, for
 * the console's preview (docs/researcher-console.md, "Previewing the participant pages"). Read-only: answering it
 * takes no play unit or rating item and stores no participant, lease, episode, rating or outcome.
 */
export const PreviewParamsSchema = z.object({ studyId: z.string().min(1).max(100), role: ParticipantRoleSchema });
export type PreviewParams = z.infer<typeof PreviewParamsSchema>;

/** One way a visit can end, as the done page would show it: the study's code and return URL for it now. */
export const PreviewEndSchema = z.object({
  outcome: ParticipantOutcomeKindSchema,
  completionCode: z.string().nullable(),
  completionUrl: z.string().nullable(),
});
export type PreviewEnd = z.infer<typeof PreviewEndSchema>;

/** What an actor plays: a real record of the study (the first one its settings select), as the play page gets it. */
export const PreviewActorTaskSchema = z.object({
  problemId: z.string(),
  /** The chat's first message, in the persona's name: the engine's opening for this record (the task). */
  opening: z.string(),
  persona: PersonaSchema,
  preferences: z.record(z.string(), PreferenceSchema),
  rubric: z.array(CriterionSchema),
});
export type PreviewActorTask = z.infer<typeof PreviewActorTaskSchema>;

export const ParticipantPreviewSchema = z.object({
  preview: z.literal(true),
  role: ParticipantRoleSchema,
  /** What GET /api/participant/study would answer a participant of this role. */
  study: ParticipantStudySchema,
  /** The journey of a participant who has not ended yet (outcome always null here). */
  journey: ParticipantJourneySchema,
  /** The ends this role can reach, in the order the console offers them. */
  ends: z.array(PreviewEndSchema),
  /** Actors: the task of the record previewed; null for raters or a study without records. */
  actorTask: PreviewActorTaskSchema.nullable(),
  /** Raters: a sample item built by the real blinding code from a record, with a sample answer; null otherwise. */
  ratingItem: BlindRatingItemSchema.nullable(),
});
export type ParticipantPreview = z.infer<typeof ParticipantPreviewSchema>;
