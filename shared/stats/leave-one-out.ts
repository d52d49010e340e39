/**
 * Leave-one-out (LOO) agreement with the other humans, as AlpacaEval computes it (`src/alpaca_eval/analyze.py`): the
 * human ceiling, and the same measure for a judge, so that "the judge agrees with humans as well as humans agree with
 * each other" is a like-for-like comparison.
 */
import { createRng, randomInt, type Rng } from './random.ts';
import { noValue, statValue, type StatResult } from './stat-result.ts';

/**
 * 'exact': 1[x = mode of the others] (higher is better; categorical or Likert labels).
 * 'absolute': |x − mean of the others| (lower is better; AlpacaEval's `absolute` rule for soft/numeric scores).
 */
export type LooAgree = 'exact' | 'absolute';

export interface LooOptions {
  /** Seed of the generator that breaks ties in the mode ('exact' only). Default 42. */
  seed?: number;
}

/** Items × annotators; null (or NaN, or a short row) means the annotator did not rate the item. */
export type LooMatrix = readonly (readonly (number | null)[])[];

function isPresent(v: number | null | undefined): v is number {
  return v != null && !Number.isNaN(v);
}

/** Most frequent value; ties broken uniformly at random among the tied values, taken in ascending order. */
export function modeOf(values: readonly number[], rng: Rng): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = 0;
  for (const c of counts.values()) best = Math.max(best, c);
  const tied = [...counts]
    .filter(([, c]) => c === best)
    .map(([v]) => v)
    .sort((a, b) => a - b);
  // Draw only on a real tie, so that adding an unambiguous item never shifts the draws of later ties.
  return tied.length === 1 ? (tied[0] as number) : (tied[randomInt(rng, tied.length)] as number);
}

/**
 * Visits every (item i, annotator j) with x_ij present and at least one other annotator present on item i, passing
 * the reference of the others: their mode ('exact') or mean ('absolute'). Both public functions share this walk and
 * its seeded tie-breaks, so for the same items and seed they compare against the very same reference values.
 */
function forEachLeaveOneOut(
  items: LooMatrix,
  agree: LooAgree,
  seed: number,
  visit: (item: number, value: number, reference: number) => void,
): void {
  const rng = createRng(seed);
  items.forEach((row, i) => {
    const present = row.filter(isPresent);
    if (present.length < 2) return;
    present.forEach((value, j) => {
      const others = present.filter((_, o) => o !== j);
      const reference = agree === 'exact' ? modeOf(others, rng) : others.reduce((s, v) => s + v, 0) / others.length;
      visit(i, value, reference);
    });
  });
}

function agreement(agree: LooAgree, value: number, reference: number): number {
  return agree === 'exact' ? (value === reference ? 1 : 0) : Math.abs(value - reference);
}

/**
 * Human–human LOO agreement (the ceiling), A = (1/M) Σ_(i,j) a(x_ij, h_{i,−j}), over the M (item, annotator) pairs
 * where x_ij is present and item i has at least one other rating. For 'exact', a = 1[x_ij = mode(h_{i,−j})] with
 * seeded random tie-breaking (as AlpacaEval); for 'absolute', a = |x_ij − mean(h_{i,−j})|. Null when M = 0.
 */
export function looAgreement(items: LooMatrix, agree: LooAgree, options: LooOptions = {}): StatResult {
  let sum = 0;
  let n = 0;
  forEachLeaveOneOut(items, agree, options.seed ?? 42, (_, value, reference) => {
    sum += agreement(agree, value, reference);
    n++;
  });
  return n === 0 ? noValue(0, 'no item has two or more ratings') : statValue(sum / n, n);
}

/**
 * The judge's LOO agreement on the same footing: for every (i, j) counted by {@link looAgreement}, the judge's value
 * f_i is scored against the same reference h_{i,−j} (so an item with m humans weighs m times, as in the ceiling).
 * Items where the judge is null are skipped; with the same seed the tie-breaks are identical to looAgreement's.
 * `judge` must have one entry per item (a RangeError otherwise). Null when no pair remains.
 */
export function looAgainst(
  items: LooMatrix,
  judge: readonly (number | null)[],
  agree: LooAgree,
  options: LooOptions = {},
): StatResult {
  if (judge.length !== items.length) throw new RangeError(`judge has ${judge.length} values for ${items.length} items`);
  let sum = 0;
  let n = 0;
  forEachLeaveOneOut(items, agree, options.seed ?? 42, (item, _, reference) => {
    const f = judge[item];
    if (!isPresent(f)) return;
    sum += agreement(agree, f, reference);
    n++;
  });
  return n === 0 ? noValue(0, 'no item has both a judge value and two or more human ratings') : statValue(sum / n, n);
}
