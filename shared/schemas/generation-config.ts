import { z } from 'zod';
import { SOURCE_TASK_NAMES, type SourceTask } from '../benchmark/source-task.ts';

/**
 * The per-task configuration of `prefdisco generate` (docs/generating-benchmarks.md), our counterpart of the
 * reference's `benchmark_generator_<task>.yaml`. Paths are relative to the config
 * file's directory. Defaults follow the reference where it has one (100 problems, 20 dimensions, 2–3 of them
 * expertise, 4–5 general dimensions, temperature 0.7) and are documented where we chose.
 */

/** A target field of the source shape, taken from one column, or (for option lists) from several columns in order. */
export const FieldSourceSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type FieldSource = z.infer<typeof FieldSourceSchema>;

export const SourceConfigSchema = z.strictObject({
  /** JSONL (one row object per line) or CSV (header row first). */
  file: z.string().min(1),
  /** Taken from the file extension when absent. */
  format: z.enum(['jsonl', 'csv']).optional(),
  /** Which of the ten reference source shapes each row becomes. */
  shape: z.enum(SOURCE_TASK_NAMES as [SourceTask, ...SourceTask[]]),
  /**
   * Shape field → source column(s). A shape field not listed is read from the column of the same name. When this is
   * empty the row is kept whole (it is already in the shape); otherwise `original_problem` holds the mapped fields and
   * `keepFields` only, so stray columns cannot change how the problem is normalised.
   */
  fields: z.record(z.string(), FieldSourceSchema).default({}),
  /** Extra columns copied into `original_problem` unchanged when `fields` is used (e.g. an id or a subject). */
  keepFields: z.array(z.string().min(1)).default([]),
});
export type SourceConfig = z.infer<typeof SourceConfigSchema>;

export const PreferencesConfigSchema = z.strictObject({
  /** Dimensions proposed per (problem, persona); the reference's `min_dimensions_per_problem` is 20. */
  dimensionsPerProblem: z.number().int().min(1).max(40).default(20),
  /** How many of them must be expertise/comfort dimensions about the skills the problem needs. */
  expertiseDimensions: z
    .strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
    .default({ min: 2, max: 3 }),
  /** Dataset-level general dimensions generated once per task (the reference asks for 4–5); 0 for none. */
  generalDimensions: z.number().int().min(0).max(10).default(5),
  /** Add every general dimension to every record, as the reference's sequential path does. */
  includeGeneralDimensions: z.boolean().default(true),
  /**
   * Sparsity: at most this many preferences per record (null keeps all). Applied after instantiation and before the
   * rubric, so the rubric and its weights cover exactly the kept preferences.
   */
  keepPerRecord: z.number().int().min(1).nullable().default(null),
  /** Which preferences `keepPerRecord` keeps: a seeded random subset, or the highest local importance. */
  keepStrategy: z.enum(['random', 'importance']).default('random'),
  /**
   * A global dimension library shared between tasks (the reference's `all_preferences.json`): read at the first
   * start of a run, merged with this run's dimensions at the end. Absent: the library lives only in this run's state.
   */
  libraryFile: z.string().min(1).optional(),
});
export type PreferencesConfig = z.infer<typeof PreferencesConfigSchema>;

export const PersonasConfigSchema = z.strictObject({
  /** The persona library directory; default: the app's (PREFDISCO_PERSONAS_DIR, `personas/`). */
  dir: z.string().min(1).optional(),
  /** New personas to generate into `dir` before the pairs (0 reuses the library as it is). */
  generate: z.number().int().min(0).max(500).default(0),
});
export type PersonasConfig = z.infer<typeof PersonasConfigSchema>;

export const GenerationConfigSchema = z
  .strictObject({
    /** Names the output, `personalized_<task>.jsonl`. */
    task: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only'),
    /** `dataset` of the metadata line; default `local/<task>`. */
    dataset: z.string().min(1).optional(),
    source: SourceConfigSchema,
    /** Problems sampled (seeded) from the valid rows; fewer when the source has fewer. */
    sampleSize: z.number().int().min(1).default(100),
    seed: z.number().int().min(0).default(42),
    personasPerProblem: z.number().int().min(1).default(10),
    personas: PersonasConfigSchema.default({ generate: 0 }),
    preferences: PreferencesConfigSchema.default({
      dimensionsPerProblem: 20,
      expertiseDimensions: { min: 2, max: 3 },
      generalDimensions: 5,
      includeGeneralDimensions: true,
      keepPerRecord: null,
      keepStrategy: 'random',
    }),
    /** Tries per model step whose output fails validation (the reference uses 3). */
    maxTries: z.number().int().min(1).max(10).default(3),
    /**
     * Pairs whose dimensions are de-duplicated together against the library (the reference's `batch_dedup_size`).
     * The library and the personas' earlier preferences grow between batches, so this, not --concurrency, decides the
     * output.
     */
    batchSize: z.number().int().min(1).max(1000).default(20),
    /** Sampling temperature of every generation call (the reference uses 0.7). */
    temperature: z.number().min(0).max(2).default(0.7),
  })
  .superRefine((c, ctx) => {
    const { min, max } = c.preferences.expertiseDimensions;
    if (min > max)
      ctx.addIssue({
        code: 'custom',
        path: ['preferences', 'expertiseDimensions'],
        message: 'min must not exceed max',
      });
    if (min > c.preferences.dimensionsPerProblem) {
      ctx.addIssue({
        code: 'custom',
        path: ['preferences', 'expertiseDimensions', 'min'],
        message: 'must not exceed dimensionsPerProblem',
      });
    }
  });
export type GenerationConfig = z.infer<typeof GenerationConfigSchema>;
