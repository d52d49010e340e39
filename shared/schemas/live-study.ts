import { z } from 'zod';
import { ModeSchema } from './evaluation.ts';
import { SCORE_MAX, SCORE_MIN } from './rubric.ts';

/**
 * A live study: its settings (who plays and rates what, with which models), the blinded item a rater receives, and
 * what a rater sends back. docs/studies-and-ratings.md explains the queue and blinding rules.
 */

export const STUDY_STATUSES = ['draft', 'open', 'paused', 'closed'] as const;
export const StudyStatusSchema = z.enum(STUDY_STATUSES);
export type StudyStatus = z.infer<typeof StudyStatusSchema>;

const ModelNameSchema = z.string().min(1).max(200);
const ProblemIdSchema = z.string().min(1).max(500);
const LongText = z.string().max(50_000);
const CompletionCode = z.string().max(100);

/** Which of the study's records are played and rated: all of them, or a list of problem ids. */
export const RecordSelectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('list'), problemIds: z.array(ProblemIdSchema).min(1).max(100_000) }),
]);
export type RecordSelection = z.infer<typeof RecordSelectionSchema>;

const settingsShape = {
  status: StudyStatusSchema.default('draft'),
  records: RecordSelectionSchema.default({ kind: 'all' }),
  /** Models under test, by declared name; a person plays each selected record against each of them. */
  models: z.array(ModelNameSchema).max(50).default([]),
  /** infer_persona for live play; no_prompt / persona_known make a rating-only study (no user seat to play). */
  condition: ModeSchema.default('infer_persona'),
  /** The simulated twin that answers the same questions as the person. */
  simulatorModel: ModelNameSchema.default('scripted'),
  judgeModel: ModelNameSchema.default('scripted'),
  maxTurns: z.number().int().min(1).max(20).default(5),
  /** k: distinct raters per answer (gold items are outside k). */
  raterOverlap: z.number().int().min(1).max(50).default(3),
  quotas: z
    .strictObject({
      playsPerActor: z.number().int().min(1).max(1000).default(1),
      /** Items (gold included) one rater may rate in this study. */
      ratingsPerRater: z.number().int().min(1).max(100_000).default(20),
    })
    .prefault({}),
  /** How many completed plays each (record, model) needs. */
  playsPerRecord: z.number().int().min(1).max(100).default(1),
  /** Probability that a rater's next item is a gold (attention) item, when one is left for them. */
  goldRate: z.number().min(0).max(1).default(0),
  leaseMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Run the same record and model fully simulated next to each live episode (the twin, for matched pairs). */
  simulatedTwin: z.boolean().default(true),
  /** Whether raters see the elicitation dialogue (markers stripped) besides the final answer; the judge does not. */
  showTranscript: z.boolean().default(false),
  consentText: LongText.default(''),
  instructions: z.strictObject({ actor: LongText.default(''), rater: LongText.default('') }).prefault({}),
  /** Prolific completion codes shown at the end, by outcome. */
  completionCodes: z
    .strictObject({
      completed: CompletionCode.default(''),
      failedAttention: CompletionCode.default(''),
      timedOut: CompletionCode.default(''),
    })
    .prefault({}),
  /** A live session with no reply from the person for this long ends as timed out. */
  idleTimeoutSeconds: z.number().int().min(30).max(3600).default(300),
  /** The person is warned this many seconds before the idle timeout. */
  idleWarningSeconds: z.number().int().min(5).max(600).default(60),
};

type SettingsDraft = { models: string[]; idleTimeoutSeconds: number; idleWarningSeconds: number };

function checkSettings(s: SettingsDraft, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  s.models.forEach((m, i) => {
    if (seen.has(m)) ctx.addIssue({ code: 'custom', path: ['models', i], message: `model "${m}" is listed twice` });
    seen.add(m);
  });
  if (s.idleWarningSeconds >= s.idleTimeoutSeconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['idleWarningSeconds'],
      message: 'the warning must come before the idle timeout',
    });
  }
}

export const LiveStudySettingsSchema = z.strictObject(settingsShape).superRefine(checkSettings);
export type LiveStudySettings = z.infer<typeof LiveStudySettingsSchema>;

/** What a researcher PUTs: every setting but the status, which changes only through open/pause/close. */
const { status: _status, ...bodyShape } = settingsShape;
export const LiveStudySettingsBodySchema = z.strictObject(bodyShape).superRefine(checkSettings);
export type LiveStudySettingsBody = z.infer<typeof LiveStudySettingsBodySchema>;

/** One line of a dialogue as a rater may see it: role and text only. */
export const TranscriptTurnSchema = z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() });
export type TranscriptTurn = z.infer<typeof TranscriptTurnSchema>;

const CriterionScore = z.number().int().min(SCORE_MIN).max(SCORE_MAX);

/**
 * What a rater receives. Blinding is a property of this shape: it has no field for the model, condition, user type,
 * human-or-simulated, episode, run or time. `itemId` is a random id that maps to the answer only on the server.
 */
export const BlindRatingItemSchema = z.strictObject({
  itemId: z.string(),
  // goldAnswer: the benchmark's correct answer (an option key or text), shown beside the correctness question.
  task: z.strictObject({ question: z.string(), options: z.record(z.string(), z.string()), goldAnswer: z.string() }),
  persona: z.record(z.string(), z.unknown()),
  preferences: z.record(z.string(), z.record(z.string(), z.unknown())),
  rubric: z.array(
    z.strictObject({
      preference: z.string(),
      description: z.string(),
      weight: z.number().optional(),
      levels: z.array(z.strictObject({ score: z.number(), description: z.string() })),
    }),
  ),
  answer: z.string(),
  transcript: z.array(TranscriptTurnSchema).optional(),
});
export type BlindRatingItem = z.infer<typeof BlindRatingItemSchema>;

export const RatingNextPayloadSchema = z.strictObject({});

/** `rating:submit`: one score 1–5 per rubric criterion (keyed by its preference), and whether the answer is correct. */
export const RatingSubmitPayloadSchema = z.strictObject({
  itemId: z.string().min(1).max(100),
  scores: z.record(z.string().min(1).max(500), CriterionScore),
  correct: z.union([z.literal(0), z.literal(1)]),
  justification: z.string().max(10_000).optional(),
  secondsSpent: z
    .number()
    .min(0)
    .max(7 * 24 * 3600),
});
export type RatingSubmitPayload = z.infer<typeof RatingSubmitPayloadSchema>;

/** The ack of a stored rating: progress only, never whether the item was an attention check. */
export const RatingSubmittedSchema = z.object({
  rated: z.number().int(),
  quota: z.number().int(),
  /** Once the quota is reached: the study's completion code for this rater (completed or failed attention), if set. */
  completionCode: z.string().nullable(),
});
export type RatingSubmitted = z.infer<typeof RatingSubmittedSchema>;

/** A hand-made attention item: an answer whose scores are known in advance. */
export const GoldItemSchema = z.strictObject({
  problemId: ProblemIdSchema,
  answer: z.string().min(1).max(100_000),
  expectedScores: z.record(z.string().min(1).max(500), CriterionScore),
  /** A rater passes when every criterion is within this distance of the expected score. */
  tolerance: z.number().int().min(0).max(4).default(1),
});
export type GoldItem = z.infer<typeof GoldItemSchema>;

const Count = z.number().int().min(0);

export const PlayUnitProgressSchema = z.object({
  problemId: z.string(),
  model: z.string(),
  quota: Count,
  completed: Count,
  active: Count,
});
export type PlayUnitProgress = z.infer<typeof PlayUnitProgressSchema>;

export const CandidateProgressSchema = z.object({
  itemId: z.string(),
  problemId: z.string(),
  sourceEpisodeId: z.string().nullable(),
  isGold: z.boolean(),
  rated: Count,
  active: Count,
});
export type CandidateProgress = z.infer<typeof CandidateProgressSchema>;

export const RaterProgressSchema = z.object({
  participantId: z.string(),
  rated: Count,
  active: Count,
  attentionChecked: Count,
  attentionPassed: Count,
});
export type RaterProgress = z.infer<typeof RaterProgressSchema>;

export const ActorProgressSchema = z.object({
  participantId: z.string(),
  prolificPid: z.string().nullable(),
  completed: Count,
  active: Count,
  /** Assignments that ended without an episode to keep: expired or released (idle timeout, left the study). */
  dropped: Count,
  lastActivityAt: z.string(),
});
export type ActorProgress = z.infer<typeof ActorProgressSchema>;

/** What researchers see of a study's assignments. */
export const AssignmentProgressSchema = z.object({
  studyId: z.string(),
  status: StudyStatusSchema,
  raterOverlap: Count,
  plays: z.array(PlayUnitProgressSchema),
  candidates: z.array(CandidateProgressSchema),
  raters: z.array(RaterProgressSchema),
  actors: z.array(ActorProgressSchema),
});
export type AssignmentProgress = z.infer<typeof AssignmentProgressSchema>;
