import { z } from 'zod';

/**
 * The problem as the evaluator sees it after normalisation.
 * Legacy files may carry it as `parsed_problem`, which then takes precedence over `original_problem`.
 */
export const NormalizedProblemSchema = z.looseObject({
  question: z.string(),
  /** Each option's text as Python's str() prints it, keyed by its label. */
  options: z.record(z.string(), z.string()),
  /**
   * Python's repr of the options as the source row holds them (`{'A': 5}`, where `options` has the text '5'), which
   * the correctness judge's prompt prints. Present only when it differs from the repr of `options`.
   */
  optionsRepr: z.string().optional(),
  answer: z.union([z.string(), z.number()]),
  solution: z.string().nullable(),
  image: z.string().nullable(),
});
export type NormalizedProblem = z.infer<typeof NormalizedProblemSchema>;

/** The untouched source-dataset row. Its shape depends on the source (see shared/benchmark/normalize-problem.ts). */
export const OriginalProblemSchema = z.record(z.string(), z.unknown());
export type OriginalProblem = z.infer<typeof OriginalProblemSchema>;
