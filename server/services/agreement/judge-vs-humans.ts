import type { Estimate, JudgeHumanRow } from '../../../shared/schemas/agreement.ts';
import {
  altTest,
  cohenKappa,
  krippendorffAlpha,
  looAgainst,
  looAgreement,
  meanAbsoluteError,
  spearman,
  type StatResult,
} from '../../../shared/stats/index.ts';
import type { RatedItem } from './agreement-data.ts';
import { alphaKernel, looParts } from './alpha-kernel.ts';
import { codedPairs, codesOf, kappaKernel, kappaWeights, ratioKernel, spearmanKernel, type Kernel } from './kernels.ts';
import { estimates, planFor, type ResampleSettings } from './resampling.ts';
import { majority, meanOf, median, type ScoreUnit } from './score-units.ts';

export const SCALE = [1, 2, 3, 4, 5];
/** A median of an even number of 1–5 scores can fall halfway: κ against the median uses the half-point scale. */
export const HALF_SCALE = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];

export interface JudgeSettings extends ResampleSettings {
  epsilon: number;
}

/** Quadratic κ_w of pooled (x, y) pairs on a scale, as the library value and its kernel. */
export function pooledKappa(
  pairsPerUnit: (readonly [number, number])[][],
  scale: readonly number[],
): [StatResult, Kernel] {
  const index = new Map(scale.map((v, i) => [v, i]));
  const flat = pairsPerUnit.flat();
  const result = cohenKappa(
    flat.map((p) => p[0]),
    flat.map((p) => p[1]),
    { weights: 'quadratic', categories: scale },
  );
  const coded = codedPairs(
    pairsPerUnit.map((pairs) => pairs.map(([x, y]) => [index.get(x) as number, index.get(y) as number] as const)),
  );
  return [result, kappaKernel(coded, kappaWeights([...scale], 'quadratic'), scale.length)];
}

/** MAE of paired values (null = missing), as the library value and its kernel. */
export function pairedMae(x: readonly (number | null)[], y: readonly (number | null)[]): [StatResult, Kernel] {
  const sums = Float64Array.from(x, (v, i) => (v === null || y[i] === null ? 0 : Math.abs(v - (y[i] as number))));
  const counts = Float64Array.from(x, (v, i) => (v === null || y[i] === null ? 0 : 1));
  return [meanAbsoluteError([...x], [...y]), ratioKernel(sums, counts)];
}

/** Spearman ρ of paired values (null = missing), as the library value and its kernel. */
export function pairedSpearman(x: readonly (number | null)[], y: readonly (number | null)[]): [StatResult, Kernel] {
  const both = (i: number): boolean => x[i] !== null && y[i] !== null;
  const cx = codesOf(x.map((v, i) => (both(i) ? v : null)));
  const cy = codesOf(y.map((v, i) => (both(i) ? v : null)));
  return [spearman([...x], [...y]), spearmanKernel(cx, cy)];
}

function alpha(values: number[][], level: 'ordinal' | 'interval'): [StatResult, Kernel] {
  // α does not depend on who gave a value, only on the values per unit: coder slots keep the matrix small. At least
  // two slots, so that answers with one rating each are reported as "nothing pairable", which is what they are.
  const width = Math.max(2, ...values.map((v) => v.length));
  const slots = Array.from({ length: width }, (_, s) => values.map((v) => v[s] ?? null));
  const result = krippendorffAlpha(slots, level);
  return [{ value: result.value, n: result.n, reason: result.reason } as StatResult, alphaKernel(values, level)];
}

/**
 * Judge vs humans on one criterion, or on the weighted score (continuous: κ and exact agreement use scores rounded
 * to whole points, α the interval metric). Every statistic shares one set of resamples.
 */
export function judgeHumanRow(
  criterion: string,
  units: readonly ScoreUnit[],
  settings: JudgeSettings,
  continuous: boolean,
): JudgeHumanRow {
  const cat = (v: number): number => (continuous ? Math.min(5, Math.max(1, Math.round(v))) : v);
  const judged = units.map((u) => (u.judge !== null && u.humans.length > 0 ? u.judge : null));
  const means = units.map((u) => (u.judge !== null ? meanOf(u.humans) : null));
  const medianScale = continuous ? SCALE : HALF_SCALE;
  const rows = units.map((u) => u.humans);
  const exactRows = units.map((u) => u.humans.map(cat));
  const exactJudge = units.map((u) => (u.judge === null ? null : cat(u.judge)));
  const judge = units.map((u) => u.judge);
  const absParts = looParts(rows, judge, 'absolute', settings.seed);
  const exactParts = looParts(exactRows, exactJudge, 'exact', settings.seed);
  const loo = { seed: settings.seed };
  const [
    kappaVsRaters,
    kappaVsMedian,
    alphaHumans,
    alphaWithJudge,
    rho,
    mae,
    humanMae,
    judgeMae,
    humanExact,
    judgeExact,
  ] = estimates(
    planFor(units.map((u) => u.personaId)),
    [
      pooledKappa(
        units.map((u) => (u.judge === null ? [] : u.humans.map((h) => [cat(u.judge as number), cat(h)] as const))),
        SCALE,
      ),
      pooledKappa(
        units.map((u) => {
          const m = median(u.humans);
          return u.judge === null || m === null ? [] : [[cat(u.judge), continuous ? cat(m) : m] as const];
        }),
        medianScale,
      ),
      alpha(rows, continuous ? 'interval' : 'ordinal'),
      alpha(
        units.map((u) => (u.judge === null ? u.humans : [...u.humans, u.judge])),
        continuous ? 'interval' : 'ordinal',
      ),
      pairedSpearman(judged, means),
      pairedMae(judged, means),
      [looAgreement(rows, 'absolute', loo), ratioKernel(absParts.humanSum, absParts.humanCount)],
      [looAgainst(rows, judge, 'absolute', loo), ratioKernel(absParts.judgeSum, absParts.judgeCount)],
      [looAgreement(exactRows, 'exact', loo), ratioKernel(exactParts.humanSum, exactParts.humanCount)],
      [looAgainst(exactRows, exactJudge, 'exact', loo), ratioKernel(exactParts.judgeSum, exactParts.judgeCount)],
    ],
    settings,
  ) as [Estimate, Estimate, Estimate, Estimate, Estimate, Estimate, Estimate, Estimate, Estimate, Estimate];
  const alt = altTest(
    units.map((u) => ({ llm: u.judge, humans: Object.fromEntries(u.raters.map((r, i) => [r, u.humans[i]])) })),
    {
      epsilon: settings.epsilon,
      scoring: 'absolute',
    },
  );
  return {
    criterion,
    items: units.filter((u) => u.humans.length > 0).length,
    ratings: units.reduce((s, u) => s + u.humans.length, 0),
    kappaVsRaters,
    kappaVsMedian,
    alphaHumans,
    alphaWithJudge,
    spearman: rho,
    mae,
    ceiling: { humanMae, judgeMae, humanExact, judgeExact },
    altTest: {
      epsilon: alt.epsilon,
      winningRate: alt.winningRate,
      advantageProbability: alt.advantageProbability,
      passed: alt.passed,
      items: alt.items,
      annotatorsTested: alt.annotators.length,
      annotatorsExcluded: alt.excluded.length,
      ...(alt.reason ? { reason: alt.reason } : {}),
    },
  };
}

/** The judge's correctness verdict vs the raters' majority (ties left out): Cohen's κ on {0, 1}. */
export function correctnessKappa(items: readonly RatedItem[], settings: ResampleSettings): Estimate {
  const units = items.filter((i) => i.judgeCorrect !== null && majority(i.correct) !== null);
  const judge = units.map((i) => i.judgeCorrect as 0 | 1);
  const humans = units.map((i) => majority(i.correct) as 0 | 1);
  const result = cohenKappa(judge, humans, { categories: [0, 1] });
  const kernel = kappaKernel(
    codedPairs(units.map((_, u) => [[judge[u] as number, humans[u] as number] as const])),
    kappaWeights([0, 1], 'none'),
    2,
  );
  return estimates(planFor(units.map((i) => i.personaId)), [[result, kernel]], settings)[0] as Estimate;
}
