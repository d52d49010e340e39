import type { AgreementReport, Estimate } from '../../../shared/schemas/agreement.ts';
import {
  blandAltman,
  kendallTauB,
  ksStatistic,
  pearson,
  TIE_TOLERANCE,
  type StatResult,
} from '../../../shared/stats/index.ts';
import type { Baseline, LiveEpisode, PlayedEpisode, RecordInfo, TwinEpisode } from './agreement-data.ts';
import { pairedSpearman } from './judge-vs-humans.ts';
import { pearsonKernel, ratioKernel, type Kernel } from './kernels.ts';
import { estimates, missing, planFor, type ResampleSettings } from './resampling.ts';
import { meanOf } from './score-units.ts';

type Outcomes = AgreementReport['outcomes'];
type BehaviourRow = AgreementReport['behaviour']['rows'][number];

/** Mean score per record × model, over the completed episodes that have one. */
function meanByKey<T>(rows: readonly T[], key: (r: T) => string, score: (r: T) => number | null): Map<string, number> {
  const sums = new Map<string, number[]>();
  for (const r of rows) {
    const s = score(r);
    if (s === null) continue;
    const list = sums.get(key(r)) ?? [];
    list.push(s);
    sums.set(key(r), list);
  }
  return new Map([...sums].map(([k, v]) => [k, meanOf(v) as number]));
}

const keyOf = (r: { problemId: string; model: string }): string => JSON.stringify([r.problemId, r.model]);

/** The share of units whose indicator is 1 (n > 0), as a value and its kernel. */
function rate(indicator: Float64Array): [StatResult, Kernel] {
  const value = indicator.reduce((a, b) => a + b, 0) / indicator.length;
  return [{ value, n: indicator.length }, ratioKernel(indicator, new Float64Array(indicator.length).fill(1))];
}

export interface OutcomePair {
  problemId: string;
  model: string;
  personaId: string;
  /** Mean PrefAlign of the person-played episodes, of their simulated twins, and of the generic baseline (or null). */
  human: number;
  simulator: number;
  generic: number | null;
}

/** Record × model pairs that have both a person-played episode and a twin with a score, in key order. */
export function outcomePairs(
  live: readonly LiveEpisode[],
  twins: readonly TwinEpisode[],
  baselines: readonly Baseline[],
  records: ReadonlyMap<string, RecordInfo>,
): OutcomePair[] {
  const human = meanByKey(live, keyOf, (e) => e.weightedScore);
  const simulated = meanByKey(twins, keyOf, (e) => e.weightedScore);
  const generic = meanByKey(baselines, keyOf, (b) => b.weightedScore);
  const keys = [...human.keys()].filter((k) => simulated.has(k)).sort();
  return keys.map((k) => {
    const [problemId, model] = JSON.parse(k) as [string, string];
    return {
      problemId,
      model,
      personaId: records.get(problemId)?.personaId ?? problemId,
      human: human.get(k) as number,
      simulator: simulated.get(k) as number,
      generic: generic.get(k) ?? null,
    };
  });
}

/**
 * Outcome level (docs/agreement-report.md, section c): PrefAlign of the person-played episode vs its simulator-played
 * twin for the same record × model (means when a record × model was played more than once): correlation, Bland–Altman
 * limits, the model ranking each side gives, and how often each side ends worse than the generic no_prompt answer.
 */
export function outcomes(pairs: readonly OutcomePair[], settings: ResampleSettings): Outcomes {
  const h = pairs.map((p) => p.human);
  const s = pairs.map((p) => p.simulator);
  const [pearsonEstimate, spearmanEstimate] = estimates(
    planFor(pairs.map((p) => p.personaId)),
    [[pearson(h, s), pearsonKernel(Float64Array.from(h), Float64Array.from(s))], pairedSpearman(h, s)],
    settings,
  ) as [Estimate, Estimate];

  const models = [...new Set(pairs.map((p) => p.model))].sort().map((model) => {
    const mine = pairs.filter((p) => p.model === model);
    return {
      model,
      human: meanOf(mine.map((p) => p.human)),
      simulator: meanOf(mine.map((p) => p.simulator)),
      n: mine.length,
    };
  });
  const modelRankingTau: StatResult =
    models.length < 2
      ? { value: null, n: models.length, reason: `a ranking needs at least 2 models, got ${models.length}` }
      : kendallTauB(
          models.map((m) => m.human),
          models.map((m) => m.simulator),
        );

  const withBase = pairs.filter((p) => p.generic !== null);
  const worse = (side: 'human' | 'simulator'): Float64Array =>
    Float64Array.from(withBase, (p) => (p[side] < (p.generic as number) - TIE_TOLERANCE ? 1 : 0));
  const noBaseline = missing('no generic (no_prompt) baseline for these records and models');
  let worseThanGeneric: Outcomes['worseThanGeneric'] = { human: noBaseline, simulator: noBaseline };
  if (withBase.length > 0) {
    const [humanRate, simulatorRate] = estimates(
      planFor(withBase.map((p) => p.personaId)),
      [rate(worse('human')), rate(worse('simulator'))],
      settings,
    );
    worseThanGeneric = { human: humanRate as Estimate, simulator: simulatorRate as Estimate };
  }

  const ba = blandAltman(h, s);
  return {
    pairs: pairs.length,
    pearson: pearsonEstimate,
    spearman: spearmanEstimate,
    blandAltman: {
      n: ba.n,
      meanDifference: ba.meanDifference,
      sdDifference: ba.sdDifference,
      lower: ba.lower,
      upper: ba.upper,
      ...(ba.reason ? { reason: ba.reason } : {}),
    },
    models,
    modelRankingTau:
      modelRankingTau.value === null
        ? { value: null, n: modelRankingTau.n, reason: modelRankingTau.reason }
        : { value: modelRankingTau.value, n: modelRankingTau.n },
    worseThanGeneric,
  };
}

function behaviourRow(
  measure: BehaviourRow['measure'],
  humanValues: number[],
  simulatorValues: number[],
): BehaviourRow {
  const ks = ksStatistic(humanValues, simulatorValues);
  return {
    measure,
    humanMean: meanOf(humanValues),
    humanN: humanValues.length,
    simulatorMean: meanOf(simulatorValues),
    simulatorN: simulatorValues.length,
    ks: { value: ks.value, n: ks.n, ...(ks.reason ? { reason: ks.reason } : {}), pValue: ks.pValue },
  };
}

/**
 * Distributional realism (docs/agreement-report.md, section c): questions answered per completed episode, words per
 * reply and unprompted disclosures per labeled reply, for people and for the simulated twins, with the two-sample KS
 * statistic.
 */
export function behaviour(
  live: readonly PlayedEpisode[],
  twins: readonly PlayedEpisode[],
): AgreementReport['behaviour'] {
  const turns = (episodes: readonly PlayedEpisode[]): number[] =>
    episodes.flatMap((e) => (e.turns === null ? [] : [e.turns]));
  return {
    rows: [
      behaviourRow('turns', turns(live), turns(twins)),
      behaviourRow(
        'words_per_reply',
        live.flatMap((e) => e.replyWords),
        twins.flatMap((e) => e.replyWords),
      ),
      behaviourRow(
        'unprompted_disclosures',
        live.flatMap((e) => e.unprompted),
        twins.flatMap((e) => e.unprompted),
      ),
    ],
  };
}
