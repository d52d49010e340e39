import { completePairs, resolveCategories, type Category } from './cohen-kappa.ts';
import { noValue, type StatResult } from './stat-result.ts';

/**
 * Gwet's AC1 with its parts: `observedAgreement` p_o, `chanceAgreement` p_e, and `categories` K. `n` counts the items
 * rated by both raters; `droppedPairs` those with a side missing.
 */
export type AC1Result = StatResult & {
  observedAgreement?: number;
  chanceAgreement?: number;
  categories?: number;
  droppedPairs?: number;
};

/**
 * Gwet's first-order agreement coefficient AC1 for two raters and nominal categories. Gwet (2008), "Computing
 * inter-rater reliability and its variance in the presence of high agreement", Br. J. Math. Stat. Psychol.
 * 61:29–48:
 *
 *   AC1 = (p_o − p_e)/(1 − p_e),  p_e = (1/(K − 1)) Σ_k π_k (1 − π_k),  π_k = (p_{A,k} + p_{B,k})/2.
 *
 * Unlike κ, the chance term does not approach 1 when one category dominates, so AC1 stays high when raters agree on a
 * skewed sample (the "κ paradox"). K is the number of categories of the scale: pass `categories` when some were not
 * used, since K enters p_e; by default K is the number of distinct observed ratings.
 *
 * Pairs with a missing side are dropped. Undefined (value null with a reason): no complete pair, or K < 2. With
 * K ≥ 2, p_e ≤ 1/K < 1, so there is no other degenerate case.
 *
 * @throws RangeError as {@link completePairs} and {@link resolveCategories} do.
 */
export function gwetAC1(
  a: readonly (Category | null)[],
  b: readonly (Category | null)[],
  categories?: readonly Category[],
): AC1Result {
  const { pairs, dropped } = completePairs(a, b);
  if (pairs.length === 0) return { ...noValue(0, 'no item was rated by both raters'), droppedPairs: dropped };
  const scale = resolveCategories(pairs, categories);
  const n = pairs.length;
  const k = scale.length;
  if (k < 2) {
    return {
      ...noValue(n, 'needs at least 2 categories (K − 1 = 0 in the chance term)'),
      categories: k,
      droppedPairs: dropped,
    };
  }
  const index = new Map(scale.map((c, i) => [c, i]));
  const marginal = new Float64Array(k);
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree += 1;
    for (const v of [x, y]) {
      const i = index.get(v) ?? 0;
      marginal[i] = (marginal[i] ?? 0) + 1;
    }
  }
  let spread = 0;
  for (const m of marginal) {
    const pi = m / (2 * n);
    spread += pi * (1 - pi);
  }
  const observedAgreement = agree / n;
  const chanceAgreement = spread / (k - 1);
  return {
    value: (observedAgreement - chanceAgreement) / (1 - chanceAgreement),
    n,
    observedAgreement,
    chanceAgreement,
    categories: k,
    droppedPairs: dropped,
  };
}

/**
 * Percent (raw) agreement p_o = (1/N) Σ_i 1[a_i = b_i] over the N items rated by both raters (as in
 * FastChat's MT-Bench agreement). Not chance-corrected: it is inflated when one category dominates, so report it
 * next to κ or AC1, not instead. Undefined when no item was rated by both.
 */
export function percentAgreement(a: readonly (Category | null)[], b: readonly (Category | null)[]): StatResult {
  const { pairs } = completePairs(a, b);
  if (pairs.length === 0) return noValue(0, 'no item was rated by both raters');
  return { value: pairs.filter(([x, y]) => x === y).length / pairs.length, n: pairs.length };
}
