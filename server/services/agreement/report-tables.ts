import type { AgreementReport, AgreementTable, Estimate } from '../../../shared/schemas/agreement.ts';
import type { Row } from '../research/table-format.ts';
import { CORRECTNESS } from './slices.ts';

/** An estimate as flat columns: `x`, `x_n`, `x_low`, `x_high`, `x_reason`. */
function flat(prefix: string, e: Estimate): Row {
  return {
    [prefix]: e.value,
    [`${prefix}_n`]: e.n,
    [`${prefix}_low`]: e.ci?.low ?? null,
    [`${prefix}_high`]: e.ci?.high ?? null,
    [`${prefix}_reason`]: e.reason ?? e.ci?.reason ?? null,
  };
}

const cols = (...prefixes: string[]): string[] =>
  prefixes.flatMap((p) => [p, `${p}_n`, `${p}_low`, `${p}_high`, `${p}_reason`]);

/** Each table's columns, in file order (CSV header and JSONL key order). */
export const AGREEMENT_COLUMNS: Record<AgreementTable, readonly string[]> = {
  judge_vs_humans: [
    'criterion',
    'items',
    'ratings',
    ...cols(
      'kappa_vs_raters',
      'kappa_vs_median',
      'alpha_humans',
      'alpha_with_judge',
      'spearman',
      'mae',
      'ceiling_human_mae',
      'ceiling_judge_mae',
      'ceiling_human_exact',
      'ceiling_judge_exact',
    ),
    'alt_epsilon',
    'alt_winning_rate',
    'alt_advantage_probability',
    'alt_passed',
    'alt_items',
    'alt_annotators_tested',
    'alt_reason',
  ],
  self_ratings: ['comparison', ...cols('mae', 'spearman', 'kappa_w')],
  disclosure: ['scope', 'value', ...cols('kappa', 'agreement')],
  outcomes: ['statistic', 'model', 'value', 'n', 'low', 'high', 'reason'],
  behaviour: ['measure', 'human_mean', 'human_n', 'simulator_mean', 'simulator_n', 'ks', 'ks_p_value', 'ks_reason'],
  slices: ['dimension', 'value', ...cols('kappa_w', 'mae')],
  disagreements: ['item_id', 'problem_id', 'criterion', 'kind', 'judge', 'human_median', 'human_scores'],
};

function judgeRows(r: AgreementReport): Row[] {
  const rows: Row[] = r.judgeVsHumans.rows.map((row) => ({
    criterion: row.criterion,
    items: row.items,
    ratings: row.ratings,
    ...flat('kappa_vs_raters', row.kappaVsRaters),
    ...flat('kappa_vs_median', row.kappaVsMedian),
    ...flat('alpha_humans', row.alphaHumans),
    ...flat('alpha_with_judge', row.alphaWithJudge),
    ...flat('spearman', row.spearman),
    ...flat('mae', row.mae),
    ...flat('ceiling_human_mae', row.ceiling.humanMae),
    ...flat('ceiling_judge_mae', row.ceiling.judgeMae),
    ...flat('ceiling_human_exact', row.ceiling.humanExact),
    ...flat('ceiling_judge_exact', row.ceiling.judgeExact),
    alt_epsilon: row.altTest.epsilon,
    alt_winning_rate: row.altTest.winningRate,
    alt_advantage_probability: row.altTest.advantageProbability,
    alt_passed: row.altTest.passed,
    alt_items: row.altTest.items,
    alt_annotators_tested: row.altTest.annotatorsTested,
    alt_reason: row.altTest.reason ?? null,
  }));
  // Correctness has no scale: its one statistic, κ of the judge vs the raters' majority, sits in the "median" column.
  const c = r.judgeVsHumans.correctnessKappa;
  rows.push({ criterion: CORRECTNESS, items: c.n, ...flat('kappa_vs_median', c) });
  return rows;
}

function outcomeRows(r: AgreementReport): Row[] {
  const o = r.outcomes;
  const est = (statistic: string, e: Estimate): Row => ({
    statistic,
    model: null,
    value: e.value,
    n: e.n,
    low: e.ci?.low ?? null,
    high: e.ci?.high ?? null,
    reason: e.reason ?? null,
  });
  const plain = (
    statistic: string,
    value: number | null,
    n: number,
    reason?: string,
    model: string | null = null,
  ): Row => ({ statistic, model, value, n, low: null, high: null, reason: value === null ? (reason ?? null) : null });
  const ba = o.blandAltman;
  return [
    est('pearson', o.pearson),
    est('spearman', o.spearman),
    plain('bland_altman_mean_difference', ba.meanDifference, ba.n, ba.reason),
    plain('bland_altman_sd_difference', ba.sdDifference, ba.n, ba.reason),
    plain('bland_altman_lower', ba.lower, ba.n, ba.reason),
    plain('bland_altman_upper', ba.upper, ba.n, ba.reason),
    plain('model_ranking_kendall_tau_b', o.modelRankingTau.value, o.modelRankingTau.n, o.modelRankingTau.reason),
    est('worse_than_generic_human', o.worseThanGeneric.human),
    est('worse_than_generic_simulator', o.worseThanGeneric.simulator),
    ...o.models.flatMap((m) => [
      plain('model_mean_human', m.human, m.n, 'no pairs', m.model),
      plain('model_mean_simulator', m.simulator, m.n, 'no pairs', m.model),
    ]),
  ];
}

/** The rows of one table of a report, for the CSV/JSONL writer and the terminal. */
export function agreementRows(r: AgreementReport, table: AgreementTable): Row[] {
  switch (table) {
    case 'judge_vs_humans':
      return judgeRows(r);
    case 'self_ratings':
      return r.selfRatings.comparisons.map((c) => ({
        comparison: c.comparison,
        ...flat('mae', c.mae),
        ...flat('spearman', c.spearman),
        ...flat('kappa_w', c.kappaW),
      }));
    case 'disclosure':
      return [
        ...r.disclosure.rows.map((d) => ({
          scope: d.scope,
          value: d.value,
          ...flat('kappa', d.kappa),
          ...flat('agreement', d.agreement),
        })),
        { scope: 'revealed_value', value: 'both revealed', ...flat('agreement', r.disclosure.revealedValueAgreement) },
      ];
    case 'outcomes':
      return outcomeRows(r);
    case 'behaviour':
      return r.behaviour.rows.map((b) => ({
        measure: b.measure,
        human_mean: b.humanMean,
        human_n: b.humanN,
        simulator_mean: b.simulatorMean,
        simulator_n: b.simulatorN,
        ks: b.ks.value,
        ks_p_value: b.ks.pValue,
        ks_reason: b.ks.reason ?? null,
      }));
    case 'slices':
      return r.slices.rows.map((s) => ({
        dimension: s.dimension,
        value: s.value,
        ...flat('kappa_w', s.kappaW),
        ...flat('mae', s.mae),
      }));
    case 'disagreements':
      return r.disagreements.map((d) => ({
        item_id: d.itemId,
        problem_id: d.problemId,
        criterion: d.criterion,
        kind: d.kind,
        judge: d.judge,
        human_median: d.humanMedian,
        human_scores: d.humanScores,
      }));
  }
}
