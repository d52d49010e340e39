import { z } from 'zod';
import { ModeSchema } from './evaluation.ts';
import { ParticipantLanguageSchema } from './participant-language.ts';
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
/** An address participants are sent to: empty (none), or an absolute http(s) URL such as Prolific's completion link. */
const CompletionUrl = z.union([
  z.literal(''),
  z
    .url({
      protocol: /^https?$/,
      message: 'must be an http(s) address, e.g. https://app.prolific.com/submissions/complete?cc=CODE',
    })
    .max(2000),
]);

/**
 * A prompt pack for the study's live episodes: the name of a pack folder inside the server's prompts folder
 * (PREFDISCO_PROMPTS_DIR, docs/prompt-packs.md), or '' for the built-in prompts. Only a plain folder name: the
 * browser never names a path on the server.
 */
export const PromptPackFolderSchema = z
  .string()
  .max(80)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*)?$/,
    'must be a pack folder name from the server\'s prompts folder (letters, digits, ".", "_", "-"; no "/" or ".."), or empty for the built-in prompts',
  );

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
  /**
   * The prompt pack live episodes are asked with (model under test, simulated twin, judges, labeler): a folder in the
   * server's prompts folder, or '' for the built-in prompts. Each episode keeps the pack it started with.
   */
  promptPack: PromptPackFolderSchema.default(''),
  /** Run the same record and model fully simulated next to each live episode (the twin, for matched pairs). */
  simulatedTwin: z.boolean().default(true),
  /** Whether raters see the elicitation dialogue (markers stripped) besides the final answer; the judge does not. */
  showTranscript: z.boolean().default(false),
  /** Consent shown to actors (and to raters while `raterConsentText` is empty); stored studies keep this name. */
  consentText: LongText.default(''),
  /** Consent shown to raters only; empty means raters see `consentText`. */
  raterConsentText: LongText.default(''),
  instructions: z.strictObject({ actor: LongText.default(''), rater: LongText.default('') }).prefault({}),
  /** The researcher's estimate of the task's length per role, shown in the participant's step indicator (0: none). */
  estimatedMinutes: z
    .strictObject({
      actor: z.number().int().min(0).max(600).default(0),
      rater: z.number().int().min(0).max(600).default(0),
    })
    .prefault({}),
  /** Prolific completion codes shown at the end, by outcome. */
  completionCodes: z
    .strictObject({
      completed: CompletionCode.default(''),
      failedAttention: CompletionCode.default(''),
      timedOut: CompletionCode.default(''),
      screenedOut: CompletionCode.default(''),
      /** A rater who ran out of answers to rate (with `outOfWork.policy` 'code'): the partial-completion code. */
      noWork: CompletionCode.default(''),
    })
    .prefault({}),
  /** Prolific's completion URLs by outcome: the done page sends the participant there (and still shows the code). */
  completionUrls: z
    .strictObject({
      completed: CompletionUrl.default(''),
      failedAttention: CompletionUrl.default(''),
      timedOut: CompletionUrl.default(''),
      screenedOut: CompletionUrl.default(''),
      noWork: CompletionUrl.default(''),
    })
    .prefault({}),
  /** One optional yes/no question asked before consent; "no" ends the visit with the screened-out outcome. */
  screeningQuestion: z.string().max(2000).default(''),
  /** Refuse Prolific ids that do not look like Prolific's (24 hexadecimal characters). */
  requireProlificIdFormat: z.boolean().default(false),
  /**
   * A rater with quota left but nothing to rate right now: 'wait' shows a page that checks for new answers every
   * `waitMinutes`; 'code' ends their task with the `noWork` code for the work done.
   */
  outOfWork: z
    .strictObject({
      policy: z.enum(['wait', 'code']).default('wait'),
      waitMinutes: z.number().int().min(1).max(240).default(5),
    })
    .prefault({}),
  /**
   * The language of the participant pages' own texts (buttons, hints, errors). Consent, instructions and the screening
   * question are shown as the researcher wrote them; the researcher console stays English.
   */
  participantLanguage: ParticipantLanguageSchema.default('en'),
  /**
   * Days participant data is kept after the study closes; then the daily purge deletes every participant of the study
   * as a withdrawal would (docs/data-protection.md, "Retention"). 0 keeps it until deleted by hand.
   */
  retentionDays: z.number().int().min(0).max(3650).default(0),
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

const SecondsSpent = z
  .number()
  .min(0)
  .max(7 * 24 * 3600);

/** `rating:submit`: one score 1–5 per rubric criterion (keyed by its preference), and whether the answer is correct. */
export const RatingSubmitPayloadSchema = z.strictObject({
  itemId: z.string().min(1).max(100),
  scores: z.record(z.string().min(1).max(500), CriterionScore),
  correct: z.union([z.literal(0), z.literal(1)]),
  justification: z.string().max(10_000).optional(),
  secondsSpent: SecondsSpent,
});
export type RatingSubmitPayload = z.infer<typeof RatingSubmitPayloadSchema>;

/** Why a rater cannot judge an item. */
export const CANT_JUDGE_REASONS = ['unclear_task', 'outside_expertise', 'answer_unreadable', 'other'] as const;
export type CantJudgeReason = (typeof CANT_JUDGE_REASONS)[number];

/**
 * `rating:skip`: "I can't judge this", with a reason. It completes the item for this rater and counts toward their
 * quota, but it is no rating: agreement statistics leave it out and the answer goes to another rater.
 */
export const RatingSkipPayloadSchema = z.strictObject({
  itemId: z.string().min(1).max(100),
  reason: z.enum(CANT_JUDGE_REASONS),
  note: z.string().max(2000).optional(),
  secondsSpent: SecondsSpent,
});
export type RatingSkipPayload = z.infer<typeof RatingSkipPayloadSchema>;

/**
 * `rating:revise`: replaces the rater's most recent judgment (scores, or can't judge) of that item. The two shapes are
 * strict, so a payload is exactly one of them.
 */
export const RatingRevisePayloadSchema = z.union([RatingSubmitPayloadSchema, RatingSkipPayloadSchema]);
export type RatingRevisePayload = z.infer<typeof RatingRevisePayloadSchema>;

/** What a rater may report about an item: it does not work, it is offensive, or the correct answer shown is wrong. */
export const RATING_FLAG_KINDS = ['broken', 'offensive', 'wrong_gold', 'other'] as const;
export type RatingFlagKind = (typeof RATING_FLAG_KINDS)[number];

/** `rating:flag`: a report on an item leased to or judged by the rater; flagging it again replaces the report. */
export const RatingFlagPayloadSchema = z.strictObject({
  itemId: z.string().min(1).max(100),
  kind: z.enum(RATING_FLAG_KINDS),
  note: z.string().max(2000).optional(),
});
export type RatingFlagPayload = z.infer<typeof RatingFlagPayloadSchema>;
export const RatingFlaggedSchema = z.object({ itemId: z.string(), kind: z.enum(RATING_FLAG_KINDS) });

export const RatingProgressPayloadSchema = z.strictObject({});

/**
 * Where a rater stands, in numbers that are true: `rated` counts every judgment (can't judge included), `available`
 * how many more items the queue could give them right now besides the one in hand, `finished` that the quota is met.
 * A counter says "of up to `quota`" only when rated + in hand + available reaches the quota.
 */
export const RaterCountsSchema = z.object({
  rated: z.number().int(),
  cantJudge: z.number().int(),
  quota: z.number().int(),
  available: z.number().int(),
  finished: z.boolean(),
});
export type RaterCounts = z.infer<typeof RaterCountsSchema>;

/** The ack of a stored (or revised) rating: progress only, never whether the item was an attention check. */
export const RatingSubmittedSchema = RaterCountsSchema.extend({
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
