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
}) satisfies z.ZodType<MetricsReport>;

const StatusCountsSchema = z.object(
  Object.fromEntries(EPISODE_STATUSES.map((s) => [s, Count])) as Record<
    (typeof EPISODE_STATUSES)[number],
    typeof Count
  >,
);

/** Metrics over the study's completed episodes, and episodes per source (batch, live, twin) and status. */
export const StudyResultsSchema = z.object({
  metrics: MetricsReportSchema,
  episodes: z.object({ batch: StatusCountsSchema, live: StatusCountsSchema, twin: StatusCountsSchema }),
  failed: Count,
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
