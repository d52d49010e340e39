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
export type { UnitCounts, WorseThanGenericSummary } from './worse-than-generic.ts';
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
// Chance-corrected agreement between raters (docs/agreement-statistics.md).
export {
  krippendorffAlpha,
  MEASUREMENT_LEVELS,
  type AlphaResult,
  type MeasurementLevel,
} from './krippendorff-alpha.ts';
export {
  cohenKappa,
  KAPPA_WEIGHTS,
  type Category,
  type CohenKappaOptions,
  type KappaResult,
  type KappaWeights,
} from './cohen-kappa.ts';
export {
  fleissKappa,
  fleissKappaFromRatings,
  type FleissFromRatingsResult,
  type FleissResult,
} from './fleiss-kappa.ts';
export { gwetAC1, percentAgreement, type AC1Result } from './gwet-ac1.ts';
// Scores, correlations and human-vs-LLM replacement tests (docs/agreement-statistics.md).
export {
  averageRanks,
  kendallTauB,
  meanAbsoluteError,
  pearson,
  rootMeanSquareError,
  spearman,
  type PairedSeries,
} from './correlation.ts';
export { icc, icc21, type IccForm, type IccResult } from './icc.ts';
export { blandAltman, type BlandAltman } from './bland-altman.ts';
export { kolmogorovQ, ksStatistic, type KsResult } from './ks.ts';
export { clusterBootstrapCi, type ClusterBootstrapCi } from './cluster-bootstrap.ts';
export { altTest, benjaminiYekutieli, regularizedIncompleteBeta, studentTCdf } from './alt-test.ts';
export type { AltScoring, AltTestAnnotator, AltTestItem, AltTestOptions, AltTestResult, AltValue } from './alt-test.ts';
export { looAgainst, looAgreement, type LooAgree, type LooMatrix, type LooOptions } from './leave-one-out.ts';
export { noValue, statValue, type StatResult } from './stat-result.ts';
