import { noValue, type StatResult } from './stat-result.ts';

/** A rating: a number (Likert points, scores) or a label. 1 and '1' are different categories. */
export type Category = number | string;

export type KappaWeights = 'none' | 'linear' | 'quadratic';

export const KAPPA_WEIGHTS: readonly KappaWeights[] = ['none', 'linear', 'quadratic'];

export interface CohenKappaOptions {
  /** Default 'none' (Cohen 1960). 'linear' and 'quadratic' need numeric categories. */
  weights?: KappaWeights;
  /** The category set; default the sorted union of the observed ratings. Every observed rating must be in it. */
  categories?: readonly Category[];
}

/**
 * κ with its parts: `observedAgreement` p_o and `chanceAgreement` p_e (weighted: 1 − Σ w O and 1 − Σ w E), so that
 * κ = (p_o − p_e)/(1 − p_e) in both cases. `n` counts the items rated by both; `droppedPairs` those with a side missing.
 */
export type KappaResult = StatResult & { observedAgreement?: number; chanceAgreement?: number; droppedPairs?: number };

/**
 * Cohen's κ for two raters, plain or weighted.
 *
 * - Plain (Cohen 1960, "A coefficient of agreement for nominal scales", Educ. Psychol. Meas. 20:37–46):
 *   κ = (p_o − p_e)/(1 − p_e), p_o = share of items with equal ratings, p_e = Σ_k p_{A,k} p_{B,k}.
 * - Weighted (Cohen 1968, Psychol. Bull. 70:213–220; quadratic weights: Fleiss & Cohen 1973):
 *   κ_w = 1 − Σ_ab w_ab O_ab / Σ_ab w_ab E_ab, with O the observed joint proportions and E_ab = p_{A,a} p_{B,b}.
 *   Linear w_ab = |a − b|/R, quadratic w_ab = (a − b)²/R², where R = max − min of the categories. For categories
 *   1…K this is exactly |a−b|/(K−1) and (a−b)²/(K−1)². Distances are taken between
 *   the category *values*, not their positions in the list, so an unused middle category (say 1, 2, 5 observed on a
 *   1–5 scale) cannot shrink the distance from 2 to 5; R cancels in the ratio.
 *
 * Pairs with a missing (null) side are dropped. Undefined (value null with a reason): no complete pair, chance
 * agreement 1 (both raters used one and the same category), or weights with non-numeric categories.
 *
 * @throws RangeError when a and b differ in length, a number is not finite, the category list has duplicates, or an
 *   observed rating is not among the given categories.
 */
export function cohenKappa(
  a: readonly (Category | null)[],
  b: readonly (Category | null)[],
  options: CohenKappaOptions = {},
): KappaResult {
  const weights = options.weights ?? 'none';
  const { pairs, dropped } = completePairs(a, b);
  if (pairs.length === 0) return { ...noValue(0, 'no item was rated by both raters'), droppedPairs: dropped };
  const categories = resolveCategories(pairs, options.categories);
  const n = pairs.length;
  const k = categories.length;

  const numeric = categories.filter((c): c is number => typeof c === 'number');
  if (weights !== 'none' && numeric.length !== k) {
    return { ...noValue(n, `${weights} weights need numeric categories`), droppedPairs: dropped };
  }
  const range = numeric.length > 0 ? Math.max(...numeric) - Math.min(...numeric) : 0;
  const w = (x: number, y: number): number => {
    if (x === y) return 0;
    if (weights === 'none') return 1;
    const d = Math.abs((numeric[x] ?? 0) - (numeric[y] ?? 0)) / range;
    return weights === 'linear' ? d : d * d;
  };

  const index = new Map(categories.map((c, i) => [c, i]));
  const joint = new Float64Array(k * k);
  const rowA = new Float64Array(k);
  const colB = new Float64Array(k);
  for (const [x, y] of pairs) {
    const i = index.get(x) ?? 0;
    const j = index.get(y) ?? 0;
    joint[i * k + j] = (joint[i * k + j] ?? 0) + 1;
    rowA[i] = (rowA[i] ?? 0) + 1;
    colB[j] = (colB[j] ?? 0) + 1;
  }
  // Work in disagreements: D_e is exactly 0 in the degenerate case (only zero-weight cells have mass), whereas
  // 1 − p_e computed from agreements could come out as a tiny non-zero rounding residue.
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const wij = w(i, j);
      observed += wij * (joint[i * k + j] ?? 0);
      expected += wij * (rowA[i] ?? 0) * (colB[j] ?? 0);
    }
  }
  const observedAgreement = 1 - observed / n;
  const chanceAgreement = 1 - expected / (n * n);
  if (expected === 0) {
    return {
      ...noValue(n, 'both raters used one and the same category: chance agreement is 1'),
      observedAgreement,
      chanceAgreement,
      droppedPairs: dropped,
    };
  }
  return {
    value: 1 - observed / n / (expected / (n * n)),
    n,
    observedAgreement,
    chanceAgreement,
    droppedPairs: dropped,
  };
}

/** Items rated by both raters, as [a, b]; `dropped` counts those with a side missing. Shared with Gwet's AC1. */
export function completePairs(
  a: readonly (Category | null)[],
  b: readonly (Category | null)[],
): { pairs: [Category, Category][]; dropped: number } {
  if (a.length !== b.length)
    throw new RangeError(`the raters rated different numbers of items (${a.length} vs ${b.length})`);
  const pairs: [Category, Category][] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    for (const v of [x, y])
      if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`item ${i}: ${v} is not a finite number`);
    if (x !== null && y !== null) pairs.push([x, y]);
  }
  return { pairs, dropped: a.length - pairs.length };
}

/** Orders numbers before strings, numbers ascending, strings by code unit: deterministic on any locale. */
export function compareCategories(x: Category, y: Category): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'number') return -1;
  if (typeof y === 'number') return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The given categories (checked), or the sorted union of the observed ratings. */
export function resolveCategories(pairs: readonly [Category, Category][], given?: readonly Category[]): Category[] {
  const observed = new Set(pairs.flat());
  if (given === undefined) return [...observed].sort(compareCategories);
  const set = new Set(given);
  if (set.size !== given.length) throw new RangeError('the category list has duplicates');
  for (const c of given)
    if (typeof c === 'number' && !Number.isFinite(c)) throw new RangeError(`category ${c} is not a finite number`);
  for (const v of observed)
    if (!set.has(v)) throw new RangeError(`rating ${JSON.stringify(v)} is not among the categories`);
  return [...given];
}
