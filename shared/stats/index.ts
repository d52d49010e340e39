/**
 * Pure statistics for PrefDisco results: a seeded PRNG, percentile bootstrap intervals, and the benchmark metrics
 * (PrefAlign, accuracy, normalized alignment, worse-than-generic rate). No I/O; safe for the server, CLI and browser.
 */
export { createRng, randomInt, type Rng } from './random.ts';
export {
  bootstrapCi,
  bootstrapCis,
  mean,
  type BootstrapCi,
  type BootstrapOptions,
  type IndexStatistic,
  type VectorStatistic,
} from './bootstrap.ts';
export { computeMetrics, POOLED_TASK, TIE_TOLERANCE } from './prefdisco-metrics.ts';
export type {
  ConditionMetrics,
  ConditionName,
  DiscoveryMetrics,
  GroupMetrics,
  MetricMode,
  MetricRow,
  MetricsOptions,
  MetricsReport,
  OracleVsBaseline,
} from './prefdisco-metrics-types.ts';
