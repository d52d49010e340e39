import type { BootstrapCi } from './bootstrap.ts';
import type { WorseThanGenericSummary } from './worse-than-generic.ts';

/**
 * Input and output shapes of {@link computeMetrics} (prefdisco-metrics.ts). Formulas are in docs/metrics.md and, per
 * field, below. Notation: a record is one (task, problemId) pair, i.e. one problem × persona; B_i, O_i, D_i are the
 * weighted_score (PrefAlign, 1–5) of record i under baseline, oracle and discovery; c_i ∈ {0, 1} is its correctness.
 */

/** Evaluation modes of the reference. */
export type MetricMode = 'no_prompt' | 'persona_known' | 'infer_persona';

/** One evaluated episode: a result line reduced to what the metrics need. */
export interface MetricRow {
  model: string;
  task: string;
  /** The reference's problem_id, which already names the persona, so (task, problemId) identifies a record. */
  problemId: string;
  mode: MetricMode;
  /** `no_user_interaction` for no_prompt and persona_known; the simulated user type for infer_persona. */
  userType: string;
  /** weighted_score in 1–5; null if the episode failed (no final answer could be scored). */
  score: number | null;
  /** Correctness judgement; null if not judged. */
  correct: 0 | 1 | null;
  /** evaluation.interaction_turns (0 for the single-call modes). */
  turns: number;
}

/** Options of {@link computeMetrics}. */
export interface MetricsOptions {
  /** Bootstrap resamples per group. Default 1000. */
  resamples?: number;
  /** Bootstrap seed; every group uses it, so one group's intervals do not depend on which other groups exist. Default 42. */
  seed?: number;
}

/** Which condition a {@link ConditionMetrics} describes. */
export type ConditionName = 'baseline' | 'oracle' | 'discovery';

/** Per-condition summary. Failed episodes (score null) count in `n` and `failed` and are excluded from every mean. */
export interface ConditionMetrics {
  /** baseline = no_prompt, oracle = persona_known (both with user type no_user_interaction), discovery = infer_persona. */
  condition: ConditionName;
  /** `no_user_interaction` for baseline and oracle; the simulated user type for discovery. */
  userType: string;
  /** Episodes (rows after de-duplication) in this condition, failed ones included. */
  n: number;
  /** Episodes whose score is null. */
  failed: number;
  /** PrefAlign = mean weighted_score over the n − failed scored episodes, on the 1–5 scale. */
  prefAlign: BootstrapCi;
  /** The same on 0–100: (x − 1) / 4 × 100, applied to the estimate and both bounds (monotone, so the percentile CI maps exactly). */
  prefAlign100: BootstrapCi;
  /** Accuracy = mean of c over scored episodes whose correct is not null. */
  accuracy: BootstrapCi;
  /** Episodes behind `accuracy`. */
  accuracyN: number;
  /** Mean interaction_turns over scored episodes; null if there are none. No interval (descriptive only). */
  meanTurns: number | null;
}

/** Δaccuracy of the oracle against the baseline. */
export interface OracleVsBaseline {
  /** Records with a scored baseline and a scored oracle episode, both with a non-null correct. */
  n: number;
  /** mean_i (c_i^O − c_i^B) over those records = acc(O) − acc(B) on the same records. */
  deltaAccuracy: BootstrapCi;
}

/**
 * Paired comparison of one discovery user type with the baseline and the oracle. "Paired" records are those with a
 * scored (non-failed) baseline, oracle and discovery episode; records missing any of the three are left out here but
 * still count in the per-condition means.
 */
export interface DiscoveryMetrics {
  userType: string;
  /** Paired records. */
  n: number;
  /** (D̄ − B̄) / (Ō − B̄) × 100 over the paired records (0 = generic baseline, 100 = oracle); null if |Ō − B̄| ≤ 1e-9. */
  normalizedAlignment: BootstrapCi;
  /** Share of paired records with D_i < B_i − 1e-9 ("worse than generic"). */
  worseRate: BootstrapCi;
  /** Share with |D_i − B_i| ≤ 1e-9. worse + tie + better = 1. */
  tieRate: BootstrapCi;
  /** Share with D_i > B_i + 1e-9. */
  betterRate: BootstrapCi;
  /** Paired records whose baseline and discovery correct are both non-null. */
  accuracyN: number;
  /** mean_i (c_i^D − c_i^B) over those accuracyN records. */
  deltaAccuracy: BootstrapCi;
}

/** Metrics of one model on one task, or pooled over all its tasks (task = '*'). */
export interface GroupMetrics {
  model: string;
  /** The task, or '*' for the model pooled over tasks (records from all tasks resampled together). */
  task: string;
  /** Distinct records (task, problemId) with at least one row in a condition (failed rows included). */
  records: number;
  /** baseline, oracle, then discovery per user type in alphabetical order; a condition with no rows has n = 0. */
  conditions: ConditionMetrics[];
  oracleVsBaseline: OracleVsBaseline;
  /** One entry per discovery user type, alphabetical. */
  discovery: DiscoveryMetrics[];
}

/** Everything {@link computeMetrics} returns; plain data for `--json` output. */
export interface MetricsReport {
  resamples: number;
  seed: number;
  /** Confidence level of every interval. */
  level: number;
  /** Rows passed in. */
  inputRows: number;
  /** Rows dropped because a later row had the same (model, task, mode, userType, problemId). */
  duplicateRowsDropped: number;
  /** Rows whose mode/user type combination is not a condition (e.g. no_prompt with a simulated user, or infer_persona with no_user_interaction). */
  ignoredRows: number;
  /** Sorted by model, then task, with each model's pooled group ('*') after its tasks. */
  groups: GroupMetrics[];
  /**
   * Worse than generic over all models and tasks, per discovery user type, in two units: paired records, and
   * (model, task) groups whose discovery mean is below their baseline mean (worse-than-generic.ts).
   */
  worseThanGeneric: WorseThanGenericSummary[];
}
