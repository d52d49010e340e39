import { z } from 'zod';
import { PersonaSchema } from './persona.ts';
import { GeneralDimensionSchema, PreferenceSchema } from './preference.ts';
import { OriginalProblemSchema } from './problem.ts';
import { RubricSchema } from './rubric.ts';

/**
 * Benchmark files are JSONL: an optional `{"type":"metadata"}` line and `{"type":"personalized_problem"}` records
 * (docs/data-formats.md). Every object keeps unknown keys so files from the reference and from later
 * versions round-trip unchanged.
 */

export const METADATA_TYPE = 'metadata';
export const RECORD_TYPE = 'personalized_problem';

export const BenchmarkMetadataSchema = z.looseObject({
  type: z.literal(METADATA_TYPE),
  /** Source dataset id, e.g. "HuggingFaceH4/MATH-500". */
  dataset: z.string(),
  general_preferences: z.record(z.string(), GeneralDimensionSchema).optional(),
  total_personas_in_library: z.number().int().min(0).optional(),
  fixed_persona_library: z.boolean().optional(),
  personas_per_problem: z.number().int().min(0).optional(),
  sample_size: z.number().int().min(0).optional(),
  /** Parallel generation path only. */
  parallel_workers: z.number().int().min(0).optional(),
  /** Sequential generation path only. */
  multi_model_generation: z.boolean().optional(),
  llm_clients: z.array(z.string()).optional(),
});
export type BenchmarkMetadata = z.infer<typeof BenchmarkMetadataSchema>;

export const BenchmarkRecordSchema = z.looseObject({
  type: z.literal(RECORD_TYPE),
  /** `problem_{i}_{persona_id}`; unique within a file. */
  problem_id: z.string().min(1),
  original_problem: OriginalProblemSchema,
  persona: PersonaSchema,
  /** The hidden ground truth: dimension name → this persona's preference for this problem. */
  persona_preferences: z.record(z.string(), PreferenceSchema),
  evaluation_rubric: RubricSchema,
  generation_success: z.boolean().optional(),
  /** Legacy pre-normalised problem; used instead of `original_problem` when it has a `question`. */
  parsed_problem: z.record(z.string(), z.unknown()).optional(),
});
export type BenchmarkRecord = z.infer<typeof BenchmarkRecordSchema>;

/** Which ids a problem id is built from: `problem_{index}_{personaId}` (the persona id itself has an underscore). */
export function parseProblemId(problemId: string): { index: number; personaId: string } | null {
  const match = /^problem_(\d+)_(.+)$/.exec(problemId);
  if (!match) return null;
  return { index: Number(match[1]), personaId: match[2] ?? '' };
}
