import { z } from 'zod';
import { ModeSchema, UserTypeSchema } from './evaluation.ts';

/**
 * An episode is an append-only log of sequence-numbered events. Batch runs, live sessions, replay after reconnect,
 * exports and audits all read the same log.
 */

export const SeatKindSchema = z.enum(['simulated', 'person', 'none']);
export type SeatKind = z.infer<typeof SeatKindSchema>;

/** Where an episode stands; `aborted` ends a live episode its person left. */
export const EPISODE_STATUSES = ['running', 'completed', 'failed', 'aborted'] as const;
export const EpisodeStatusSchema = z.enum(EPISODE_STATUSES);
export type EpisodeStatus = z.infer<typeof EpisodeStatusSchema>;

/** One episode's row: what lists, exports and the researcher's console show without reading its event log. */
export const EpisodeSummarySchema = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  problemId: z.string(),
  personaId: z.string(),
  mode: ModeSchema,
  userType: UserTypeSchema,
  userSeat: SeatKindSchema,
  status: EpisodeStatusSchema,
  weightedScore: z.number().nullable(),
  correct: z.union([z.literal(0), z.literal(1)]).nullable(),
  interactionTurns: z.number().int().nullable(),
  assistantModel: z.string(),
  judgeModel: z.string(),
  simulatorModel: z.string().nullable(),
  failure: z.object({ stage: z.string(), reason: z.string() }).nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type EpisodeSummary = z.infer<typeof EpisodeSummarySchema>;

export const TokenUsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  costUsd: z.number().min(0).nullable(),
});

/** Everything needed to recompute a number from the database alone: the provenance of every record. */
export const ProvenanceSchema = z.object({
  appVersion: z.string(),
  assistantModel: z.string(),
  judgeModel: z.string(),
  simulatorModel: z.string().nullable(),
  /** Model configs as used (parameters, provider kind, model id); never API keys. */
  modelSettings: z.record(z.string(), z.unknown()),
  promptHashes: z.record(z.string(), z.string()),
  /** The prompt pack the episode was asked with (docs/prompt-packs.md); absent or null: our own prompts. */
  promptPack: z.object({ name: z.string(), sha256: z.string() }).nullable().optional(),
  recordSha256: z.string(),
  personaSha256: z.string(),
  rubricSha256: z.string(),
  benchmarkSha256: z.string().nullable(),
  /** Engine options that change results: turn limit, fixed K, reference-compatibility switches. */
  options: z.record(z.string(), z.unknown()),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const RevealedPreferenceSchema = z.object({ preference: z.string(), value: z.string() });

const base = { seq: z.number().int().min(0), at: z.string() };

export const EpisodeEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('episode_started'),
    problemId: z.string(),
    personaId: z.string(),
    mode: ModeSchema,
    userType: UserTypeSchema,
    userSeat: SeatKindSchema,
    maxTurns: z.number().int(),
    fixedQuestions: z.number().int().nullable(),
    provenance: ProvenanceSchema,
  }),
  z.object({
    ...base,
    type: z.literal('message'),
    role: z.enum(['user', 'assistant']),
    /** opening | question (assistant, elicitation) | reply (user) | final_prompt | final_answer | stop (automatic ###STOP###) */
    kind: z.enum(['opening', 'question', 'reply', 'stop', 'final_prompt', 'final_answer']),
    turn: z.number().int().min(0),
    content: z.string(),
    action: z.object({ final: z.boolean(), via: z.enum(['marker', 'heuristic']) }).optional(),
    thought: z.string().optional(),
    usage: TokenUsageSchema.optional(),
    issue: z.string().optional(),
    /** A user reply that ended the conversation (###STOP### from passive or collaborative users). */
    terminate: z.boolean().optional(),
    /** The id a person's browser gave this reply, so a retried send is recognised and stored once. */
    clientMessageId: z.string().optional(),
    /** The assistant turn was generated again after the server restarted mid-turn. */
    regenerated: z.boolean().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('disclosure_labeled'),
    turn: z.number().int().min(0),
    asked: z.array(z.string()),
    revealed: z.array(RevealedPreferenceSchema),
    issue: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('criterion_judged'),
    preference: z.string(),
    // An integer 1–5, except under --reference-quirks, which keeps whatever number the judge gave (as the reference).
    score: z.number().finite().nullable(),
    justification: z.string(),
    weight: z.number(),
    attempts: z.number().int().min(1),
    issue: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('correctness_judged'),
    correct: z.union([z.literal(0), z.literal(1)]).nullable(),
    justification: z.string(),
    attempts: z.number().int().min(1),
    issue: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('twin_reply'),
    /** The simulated user's answer to the same question at the same point of a live conversation; never shown to the person. */
    turn: z.number().int().min(0),
    response: z.string(),
    thought: z.string().optional(),
    asked: z.array(z.string()),
    revealed: z.array(RevealedPreferenceSchema),
    issue: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('question_tagged'),
    turn: z.number().int().min(0),
    tag: z.enum(['relevant', 'redundant', 'premature', 'off_persona']),
  }),
  z.object({
    ...base,
    type: z.literal('actor_rated'),
    /** The person's own rating of the final answer: criterion → 1–5, and correctness (absent: not asked). */
    scores: z.record(z.string(), z.number().int().min(1).max(5)),
    correct: z.union([z.literal(0), z.literal(1)]).optional(),
    justification: z.string().optional(),
    secondsSpent: z.number().min(0),
  }),
  z.object({
    ...base,
    type: z.literal('episode_completed'),
    weightedScore: z.number(),
    correct: z.union([z.literal(0), z.literal(1)]).nullable(),
    interactionTurns: z.number().int().min(0),
  }),
  z.object({
    ...base,
    type: z.literal('episode_failed'),
    stage: z.enum(['assistant', 'user', 'judge', 'correctness', 'internal']),
    code: z.string(),
    reason: z.string(),
  }),
]);
export type EpisodeEvent = z.infer<typeof EpisodeEventSchema>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
/** An event before the log has numbered and timestamped it. */
export type NewEpisodeEvent = DistributiveOmit<EpisodeEvent, 'seq' | 'at'>;
