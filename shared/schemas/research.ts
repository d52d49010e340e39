import { z } from 'zod';
import { ModeSchema, UserTypeSchema } from './evaluation.ts';
import { StudyNameSchema } from './study.ts';

/**
 * The researcher API's request and response shapes (docs/researcher-api.md): imports, batch runs started from the
 * browser, results and exports.
 */

const ModelName = z.string().trim().min(1).max(200);
const SimulatedUserType = UserTypeSchema.exclude(['no_user_interaction']);

/** `POST /api/studies/import?study=NAME[&skipImages=1][&filename=NAME.jsonl]`; the body is the JSONL file. */
export const ImportQuerySchema = z.object({
  study: StudyNameSchema,
  skipImages: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  /** Shown as the file's name in the study; the file's identity is still its SHA-256. */
  filename: z
    .string()
    .max(200)
    .regex(/^[\w][\w .-]*$/, 'may contain letters, digits, spaces, ".", "_" and "-"')
    .optional(),
});

/** The records a batch run draws from (before `maxProblems` samples them). */
export const RUN_RECORDS = ['all', 'study-selection'] as const;
export const RunRecordsSchema = z.enum(RUN_RECORDS);
export type RunRecords = z.infer<typeof RunRecordsSchema>;

/** `POST /api/studies/:studyId/runs`. Omitted fields get the CLI's defaults (`prefdisco run`). */
export const StartRunBodySchema = z.strictObject({
  model: ModelName,
  judge: ModelName,
  /** Defaults to the judge, as in the CLI. */
  simulator: ModelName.optional(),
  /** Default: all three modes, or only infer_persona with fixedQuestions. */
  modes: z.array(ModeSchema).min(1).max(3).optional(),
  /** Simulated user types for infer_persona; default passive_nostop. */
  userTypes: z.array(SimulatedUserType).min(1).max(3).optional(),
  maxTurns: z.number().int().min(1).max(50).optional(),
  fixedQuestions: z.number().int().min(1).max(50).nullable().optional(),
  maxProblems: z.number().int().min(1).max(1_000_000).nullable().optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  /** Episodes at a time; does not change results, so it is not part of a run's identity for resuming. */
  concurrency: z.number().int().min(1).max(256).optional(),
  /**
   * Which of the study's records the run draws from: `all` (default), or `study-selection`, the records the live
   * study's settings select for play, so batch rows and human rows can cover the same records.
   */
  records: RunRecordsSchema.optional(),
});
export type StartRunBody = z.infer<typeof StartRunBodySchema>;

export const RUN_STATUSES = ['running', 'completed', 'interrupted', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const Count = z.number().int().min(0);

/** A batch run's counters, as the CLI's progress line shows them. */
export const RunProgressSchema = z.object({
  total: Count,
  done: Count,
  failed: Count,
  /** Already in the results file (resumed from an earlier run). */
  skipped: Count,
  running: Count,
  elapsedMs: z.number().min(0),
  calls: Count,
  inputTokens: Count,
  outputTokens: Count,
  /** USD; null while no call has had a price (e.g. the scripted model). */
  costUsd: z.number().nullable(),
  /** Why a run failed, with a closed code; absent otherwise. */
  error: z.object({ code: z.enum(['results_file_invalid', 'internal']), message: z.string() }).optional(),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** The options a run was started with, after defaults: what identifies it for resuming. */
export const RunOptionsSchema = z.object({
  model: z.string(),
  judge: z.string(),
  simulator: z.string(),
  modes: z.array(ModeSchema),
  userTypes: z.array(SimulatedUserType),
  maxTurns: z.number().int(),
  fixedQuestions: z.number().int().nullable(),
  maxProblems: z.number().int().nullable(),
  seed: z.number().int(),
  /** Absent on runs stored before the option existed: those drew from all records. */
  records: RunRecordsSchema.optional(),
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

export const RunInfoSchema = z.object({
  id: z.string(),
  studyId: z.string(),
  status: z.enum(RUN_STATUSES),
  options: RunOptionsSchema.extend({
    concurrency: z.number().int().optional(),
    resumedFrom: z.string().nullable().optional(),
    /** With `records: 'study-selection'`: how many records the selection held when the run started, and their hash. */
    selection: z.object({ records: z.number().int().min(0), sha256: z.string() }).optional(),
  }),
  progress: RunProgressSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;

export const EXPORT_TABLES = [
  'episodes',
  'messages',
  'ratings',
  'ratings_long',
  'self_ratings',
  'question_tags',
  'disclosures',
  'participants',
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/studies/:studyId/export/:file`, file = `<table>.<format>`. */
export const ExportFileSchema = z
  .string()
  .regex(
    new RegExp(`^(${EXPORT_TABLES.join('|')})\\.(${EXPORT_FORMATS.join('|')})$`),
    `expected ${EXPORT_TABLES.join(', ')}, then .jsonl or .csv`,
  )
  .transform((file) => {
    const [table, format] = file.split('.') as [ExportTable, ExportFormat];
    return { table, format };
  });

/** Where an episode came from: a batch run, a person's live session, or the simulated twin run next to one. */
export const EPISODE_SOURCES = ['batch', 'live', 'twin'] as const;
export type EpisodeSource = (typeof EPISODE_SOURCES)[number];

export const ResultsQuerySchema = z.object({
  resamples: z.coerce.number().int().min(1).max(10_000).default(1000),
  seed: z.coerce.number().int().min(0).default(42),
  /**
   * `true`: every row is computed over only the records that every row covers (docs/metrics.md, "Same records only"),
   * so human, twin and batch rows compare like with like.
   */
  sameRecords: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});
