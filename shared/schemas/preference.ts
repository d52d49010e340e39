import { z } from 'zod';

/**
 * One hidden preference of a persona for one problem: a value of `persona_preferences`.
 * The record key is the canonical dimension name; `name` is an LLM copy of it.
 */
export const PreferenceSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  value_range: z.string().optional(),
  /** A number on the 1–5 scale or a categorical string. */
  value: z.union([z.number(), z.string()]),
  /** How much this persona cares about this dimension for this problem, 1–5. */
  local_importance: z.number().min(1).max(5),
  justification: z.string(),
  /** `expertise`, `personal`, or anything else (the reference's "other/general" path). */
  type: z.string(),
  /** Added by the generator: "math problem" | "question" | "task" | "medical consultation as a patient caretaker". */
  problem_context: z.string().optional(),
});
export type Preference = z.infer<typeof PreferenceSchema>;

/** Dataset-level dimension stored in the metadata line under `general_preferences`. */
export const GeneralDimensionSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  value_range: z.string().optional(),
  global_importance: z.number().min(1).max(5).optional(),
});
export type GeneralDimension = z.infer<typeof GeneralDimensionSchema>;
