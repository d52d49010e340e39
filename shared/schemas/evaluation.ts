import { z } from 'zod';

/** Evaluation conditions of the reference evaluator (docs/engine.md). */
export const MODES = ['no_prompt', 'persona_known', 'infer_persona'] as const;
export const ModeSchema = z.enum(MODES);
export type Mode = z.infer<typeof ModeSchema>;

/** Simulated user types of the reference; `no_user_interaction` labels the two single-call modes. */
export const USER_TYPES = ['passive', 'passive_nostop', 'collaborative', 'no_user_interaction'] as const;
export const UserTypeSchema = z.enum(USER_TYPES);
export type UserType = z.infer<typeof UserTypeSchema>;

export const ChatMessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const CriterionScoreSchema = z.looseObject({
  /** Stored as the judge returned it; the reference does not range-check it. */
  score: z.number(),
  justification: z.string(),
  weight: z.number(),
});

/** One result line per (record, mode, user type), in the reference's format. */
export const EvalResultSchema = z.looseObject({
  problem_id: z.string(),
  persona_id: z.string(),
  mode: ModeSchema,
  user_type: UserTypeSchema,
  weighted_score: z.number(),
  /** Absent or null when correctness was never judged; a resumed run re-judges such lines. */
  correct: z.union([z.literal(0), z.literal(1), z.boolean(), z.null()]).optional(),
  conversation: z.array(ChatMessageSchema),
  evaluation: z.looseObject({
    correctness: z
      .looseObject({ justification: z.string(), correct: z.union([z.literal(0), z.literal(1), z.boolean()]) })
      .optional(),
    criteria_scores: z.record(z.string(), CriterionScoreSchema),
    weighted_score: z.number(),
    /** Completed question/answer exchanges; 0 for no_prompt and persona_known. */
    interaction_turns: z.number().int().min(0),
    /** Always [] in the reference (its detector reads the wrong key). */
    preferences_expressed: z.array(z.string()),
  }),
  /** Unix seconds. */
  timestamp: z.number(),
});
export type EvalResult = z.infer<typeof EvalResultSchema>;

const GroupAverageSchema = z.looseObject({
  average_score: z.number(),
  average_correctness: z.number(),
  evaluations: z.number().int().min(0),
});

/** One line appended to `<output>_aggregate.jsonl` at the end of a run, as the reference does. */
export const AggregateLineSchema = z.looseObject({
  model: z.string(),
  problems_evaluated: z.number().int().min(0),
  average_score_overall: z.number(),
  average_turns_overall: z.number(),
  average_correctness_overall: z.number(),
  per_mode_results: z.record(z.string(), GroupAverageSchema),
  per_prompt_results: z.record(z.string(), GroupAverageSchema),
  /** Keyed "<mode>_<user_type>", e.g. "infer_persona_passive_nostop". */
  per_mode_prompt_results: z.record(z.string(), GroupAverageSchema),
  shard_info: z.record(z.string(), z.unknown()).optional(),
  timestamp: z.number(),
});
export type AggregateLine = z.infer<typeof AggregateLineSchema>;
