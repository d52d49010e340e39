import { z } from 'zod';
import type { MetricsReport } from '../stats/prefdisco-metrics-types.ts';
import { EPISODE_STATUSES } from './episode.ts';

/** A study's results (`GET …/results`) and the live monitor's health figures (`GET …/live-health`). */

const Count = z.number().int().min(0);

const CiSchema = z.object({
  estimate: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  resamples: Count,
  validResamples: Count,
});

/** The metrics of shared/stats (docs/metrics.md); `satisfies` keeps this schema and those types the same shape. */
export const MetricsReportSchema = z.object({
  resamples: Count,
  seed: z.number().int(),
  level: z.number(),
  inputRows: Count,
  duplicateRowsDropped: Count,
  ignoredRows: Count,
  groups: z.array(
    z.object({
      model: z.string(),
      task: z.string(),
      records: Count,
      conditions: z.array(
        z.object({
          condition: z.enum(['baseline', 'oracle', 'discovery']),
          userType: z.string(),
          n: Count,
          failed: Count,
          prefAlign: CiSchema,
          prefAlign100: CiSchema,
          accuracy: CiSchema,
          accuracyN: Count,
          meanTurns: z.number().nullable(),
        }),
      ),
      oracleVsBaseline: z.object({ n: Count, deltaAccuracy: CiSchema }),
      discovery: z.array(
        z.object({
          userType: z.string(),
          n: Count,
          normalizedAlignment: CiSchema,
          worseRate: CiSchema,
          tieRate: CiSchema,
          betterRate: CiSchema,
          accuracyN: Count,
          deltaAccuracy: CiSchema,
        }),
      ),
    }),
  ),
  worseThanGeneric: z.array(
    z.object({
      userType: z.string(),
      records: z.object({ n: Count, worse: Count, ties: Count, better: Count }),
      groups: z.object({ n: Count, worse: Count, ties: Count, better: Count }),
    }),
  ),
}) satisfies z.ZodType<MetricsReport>;

const StatusCountsSchema = z.object(
  Object.fromEntries(EPISODE_STATUSES.map((s) => [s, Count])) as Record<
    (typeof EPISODE_STATUSES)[number],
    typeof Count
  >,
);

/** What one results row (model × task scope × condition × user type) rests on: its episodes and distinct records. */
export const RowCoverageSchema = z.object({
  model: z.string(),
  /** The task, or '*' for the model pooled over tasks. */
  task: z.string(),
  condition: z.enum(['baseline', 'oracle', 'discovery']),
  userType: z.string(),
  /** Completed episodes; more than `records` when a record was played more than once (the latest one counts). */
  episodes: Count,
  records: Count,
});
export type RowCoverage = z.infer<typeof RowCoverageSchema>;

/**
 * Which records the rows cover (docs/metrics.md, "Same records only"). The counts are over all completed episodes,
 * whether or not the numbers were restricted; `rows` describes the numbers as computed.
 */
export const RecordCoverageSchema = z.object({
  /** Distinct records with a completed episode from batch runs, live sessions (people) and their simulated twins. */
  bySource: z.object({ batch: Count, live: Count, twin: Count }),
  /** Records covered by at least one row. */
  union: Count,
  /** Records covered by every row (model × condition × user type, pooled over tasks). */
  common: Count,
  /** Whether the numbers were computed over the common records only (`?sameRecords=true`). */
  sameRecords: z.boolean(),
  rows: z.array(RowCoverageSchema),
});
export type RecordCoverage = z.infer<typeof RecordCoverageSchema>;

/** Metrics over the study's completed episodes, and episodes per source (batch, live, twin) and status. */
export const StudyResultsSchema = z.object({
  metrics: MetricsReportSchema,
  episodes: z.object({ batch: StatusCountsSchema, live: StatusCountsSchema, twin: StatusCountsSchema }),
  failed: Count,
  /**
   * Models behind these numbers (under test, judge or simulator) that are the offline test model (`scripted`): its
   * numbers are for demos and tests, never research results. Empty for a study run on real models only.
   */
  testModels: z.array(z.string()),
  coverage: RecordCoverageSchema,
});
export type StudyResults = z.infer<typeof StudyResultsSchema>;

/** Live episodes by status with failure reasons, and each model's failures in this server process. */
export const LiveHealthSchema = z.object({
  episodes: StatusCountsSchema.extend({
    failures: z.array(z.object({ stage: z.string(), reason: z.string(), count: Count })),
  }),
  models: z.array(
    z.object({
      name: z.string(),
      calls: Count,
      retries: Count,
      failedCalls: Count,
      failedAttempts: z.record(z.string(), Count),
      lastFailure: z.object({ code: z.string(), message: z.string(), at: z.string(), final: z.boolean() }).nullable(),
    }),
  ),
});
export type LiveHealth = z.infer<typeof LiveHealthSchema>;
