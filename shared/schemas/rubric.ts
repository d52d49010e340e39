import { z } from 'zod';

/** Scores a judge or rater may give a criterion (the reference judge scores integers 1–5). */
export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

export const CriterionLevelSchema = z.looseObject({
  score: z.number().min(SCORE_MIN).max(SCORE_MAX),
  description: z.string(),
});

/** One rubric criterion; `preference` must equal a key of the record's `persona_preferences`. */
export const CriterionSchema = z.looseObject({
  preference: z.string().min(1),
  description: z.string(),
  /** Usually local_importance / Σ local_importance. When absent the judge uses 1/N. */
  weight: z.number().min(0).optional(),
  levels: z.array(CriterionLevelSchema),
});
export type Criterion = z.infer<typeof CriterionSchema>;

export const RubricSchema = z.looseObject({
  evaluation_criteria: z.array(CriterionSchema).min(1, 'must list at least one criterion'),
});
export type Rubric = z.infer<typeof RubricSchema>;
