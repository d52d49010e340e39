import type { Estimate, Interval } from '../../../shared/schemas/agreement.ts';
import { bootstrapCis, type StatResult } from '../../../shared/stats/index.ts';
import type { Kernel } from './kernels.ts';

export const LEVEL = 0.95;

export interface ResampleSettings {
  resamples: number;
  seed: number;
}

/**
 * What a section's bootstrap resamples. Units (items, turn × preference pairs …) of one persona are correlated, so
 * when personas have several units the persona is the cluster and its units are drawn together
 * (docs/agreement-report.md, Intervals); when every persona has one unit (or there is one persona) each unit is its own
 * cluster: the plain item bootstrap.
 */
export interface Plan {
  unit: 'item' | 'persona';
  units: number;
  clusters: number;
  /** CSR of the clusters' units: cluster c owns members offsets[c] … offsets[c+1] − 1. */
  offsets: Int32Array;
  members: Int32Array;
}

export function planFor(personaOfUnit: readonly string[]): Plan {
  const byPersona = new Map<string, number[]>();
  personaOfUnit.forEach((p, u) => {
    const list = byPersona.get(p) ?? [];
    list.push(u);
    byPersona.set(p, list);
  });
  const persona = byPersona.size >= 2 && [...byPersona.values()].some((g) => g.length > 1);
  const groups = persona ? [...byPersona.values()] : personaOfUnit.map((_, u) => [u]);
  const offsets = new Int32Array(groups.length + 1);
  groups.forEach((g, c) => (offsets[c + 1] = (offsets[c] as number) + g.length));
  return {
    unit: persona ? 'persona' : 'item',
    units: personaOfUnit.length,
    clusters: groups.length,
    offsets,
    members: Int32Array.from(groups.flat()),
  };
}

/** A kernel's parts summed per cluster, sparse (CSR over clusters): what a resample adds up. */
interface Compiled {
  kernel: Kernel;
  offsets: Int32Array;
  index: Int32Array;
  value: Float64Array;
  acc: Float64Array;
}

function compile(kernel: Kernel, plan: Plan): Compiled {
  const scratch = new Float64Array(kernel.size);
  const touched: number[] = [];
  const emit = (i: number, v: number): void => {
    if (scratch[i] === 0) touched.push(i);
    scratch[i] = (scratch[i] as number) + v;
  };
  const offsets = new Int32Array(plan.clusters + 1);
  const index: number[] = [];
  const value: number[] = [];
  for (let c = 0; c < plan.clusters; c++) {
    for (let m = plan.offsets[c] as number; m < (plan.offsets[c + 1] as number); m++)
      kernel.parts(plan.members[m] as number, emit);
    for (const i of new Set(touched)) {
      index.push(i);
      value.push(scratch[i] as number);
      scratch[i] = 0;
    }
    touched.length = 0;
    offsets[c + 1] = index.length;
  }
  return {
    kernel,
    offsets,
    index: Int32Array.from(index),
    value: Float64Array.from(value),
    acc: new Float64Array(kernel.size),
  };
}

/** The kernel on a multiset of clusters: the sum of their parts, finalized. */
function evaluate(k: Compiled, draw: Int32Array): number | null {
  const { acc, offsets, index, value } = k;
  acc.fill(0);
  for (let d = 0; d < draw.length; d++) {
    const c = draw[d] as number;
    for (let p = offsets[c] as number, end = offsets[c + 1] as number; p < end; p++)
      acc[index[p] as number] = (acc[index[p] as number] as number) + (value[p] as number);
  }
  return k.kernel.finalize(acc);
}

/** The kernel on the whole sample (every cluster once): what the unit tests compare with the library. */
export function onSample(kernel: Kernel, plan: Plan): number | null {
  return evaluate(
    compile(kernel, plan),
    Int32Array.from({ length: plan.clusters }, (_, c) => c),
  );
}

/**
 * Percentile intervals of several kernels over the same resamples: bootstrapCis draws clusters with replacement (one
 * draw serves every statistic of a section, which keeps related intervals consistent).
 */
export function intervals(plan: Plan, kernels: readonly Kernel[], settings: ResampleSettings): Interval[] {
  const none = (reason: string): Interval[] =>
    kernels.map(() => ({
      low: null,
      high: null,
      level: LEVEL,
      unit: plan.unit,
      clusters: plan.clusters,
      validResamples: 0,
      reason,
    }));
  if (kernels.length === 0) return [];
  if (plan.units === 0) return none('no units');
  if (plan.clusters < 2) return none(`one ${plan.unit}: every resample would equal the sample`);
  const compiled = kernels.map((k) => compile(k, plan));
  const cis = bootstrapCis(
    plan.clusters,
    kernels.length,
    (draw, out) => {
      compiled.forEach((k, j) => (out[j] = evaluate(k, draw) ?? Number.NaN));
    },
    { resamples: settings.resamples, seed: settings.seed, level: LEVEL },
  );
  return cis.map((ci) => ({
    low: ci.low,
    high: ci.high,
    level: LEVEL,
    unit: plan.unit,
    clusters: plan.clusters,
    validResamples: ci.validResamples,
    ...(ci.low === null ? { reason: 'undefined on every resample' } : {}),
  }));
}

/** A library result with its interval; no interval for a statistic that is undefined on the sample itself. */
export function estimate(result: StatResult, ci: Interval | undefined): Estimate {
  return result.value === null
    ? { value: null, n: result.n, reason: result.reason, ci: null }
    : { value: result.value, n: result.n, ci: ci ?? null };
}

/** Statistics and their kernels, evaluated together: the values from the library, the intervals from the kernels. */
export function estimates(plan: Plan, pairs: readonly [StatResult, Kernel][], settings: ResampleSettings): Estimate[] {
  const defined = pairs.filter(([r]) => r.value !== null);
  const cis = intervals(
    plan,
    defined.map(([, k]) => k),
    settings,
  );
  let next = 0;
  return pairs.map(([result]) => estimate(result, result.value === null ? undefined : cis[next++]));
}

/** An estimate that could not be computed at all. */
export function missing(reason: string, n = 0): Estimate {
  return { value: null, n, reason, ci: null };
}
