import { compareCategories, type Category } from './cohen-kappa.ts';
import { noValue, type StatResult } from './stat-result.ts';

/**
 * Fleiss' κ with its parts: `observedAgreement` P̄, `chanceAgreement` P̄_e, `ratersPerUnit` n. `n` (of StatResult)
 * is the number of units N.
 */
export type FleissResult = StatResult & {
  observedAgreement?: number;
  chanceAgreement?: number;
  ratersPerUnit?: number;
};

/**
 * Fleiss' κ for N units each rated by the same number n ≥ 2 of (not necessarily the same) raters into K nominal
 * categories. Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychol. Bull. 76(5):378–382:
 *
 * - P_i = (1/(n(n−1))) Σ_k n_ik (n_ik − 1), P̄ = (1/N) Σ_i P_i;
 * - p_k = Σ_i n_ik / (N n), P̄_e = Σ_k p_k²;
 * - κ = (P̄ − P̄_e)/(1 − P̄_e).
 *
 * Undefined (value null with a reason): no unit, fewer than 2 ratings per unit, or all ratings in one category
 * (P̄_e = 1).
 *
 * @param counts units × categories: counts[i][k] = n_ik, the number of raters who put unit i in category k.
 * @throws RangeError for ragged rows, counts that are not non-negative integers, or rows with different sums.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissResult {
  const units = counts.length;
  if (units === 0) return noValue(0, 'no units');
  const k = counts[0]?.length ?? 0;
  const sum = (row: readonly number[]): number => row.reduce((s, x) => s + x, 0);
  const raters = sum(counts[0] ?? []);
  for (const [i, row] of counts.entries()) {
    if (row.length !== k) throw new RangeError(`unit ${i} has ${row.length} categories, unit 0 has ${k}`);
    if (row.some((x) => !Number.isInteger(x) || x < 0))
      throw new RangeError(`unit ${i}: counts must be non-negative integers`);
    if (sum(row) !== raters) throw new RangeError(`unit ${i} has ${sum(row)} ratings, unit 0 has ${raters}`);
  }
  if (raters < 2)
    return { ...noValue(units, `needs at least 2 ratings per unit, got ${raters}`), ratersPerUnit: raters };

  let agreeing = 0;
  const totals = new Float64Array(k);
  for (const row of counts) {
    for (const [j, x] of row.entries()) {
      agreeing += x * (x - 1);
      totals[j] = (totals[j] ?? 0) + x;
    }
  }
  const observedAgreement = agreeing / (units * raters * (raters - 1));
  let chanceAgreement = 0;
  for (const t of totals) chanceAgreement += (t / (units * raters)) ** 2;
  // Decide degeneracy on the counts, not on P̄_e: the float sum of squares can miss 1 by a rounding residue.
  if (totals.filter((t) => t > 0).length < 2) {
    return {
      ...noValue(units, 'all ratings fall in one category: chance agreement is 1'),
      observedAgreement,
      chanceAgreement,
      ratersPerUnit: raters,
    };
  }
  return {
    value: (observedAgreement - chanceAgreement) / (1 - chanceAgreement),
    n: units,
    observedAgreement,
    chanceAgreement,
    ratersPerUnit: raters,
  };
}

/** {@link fleissKappa} from raw ratings, with the number of units left out for having another number of ratings. */
export type FleissFromRatingsResult = FleissResult & { droppedUnits: number };

/**
 * Fleiss' κ from units × raters ratings (null = not rated; rows may differ in length). Fleiss' formula needs the
 * same number of ratings on every unit, so this keeps the units with the modal number of ratings, counting only units
 * with at least 2 ratings (others cannot contribute), ties going to the larger number (more raters per unit), and
 * reports how many units it dropped. Categories are the sorted union of the kept ratings.
 */
export function fleissKappaFromRatings(ratings: readonly (readonly (Category | null)[])[]): FleissFromRatingsResult {
  const perUnit = ratings.map((row) => row.filter((v): v is Category => v !== null));
  for (const [i, row] of perUnit.entries()) {
    for (const v of row)
      if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`unit ${i}: ${v} is not a finite number`);
  }
  const frequency = new Map<number, number>();
  for (const row of perUnit) if (row.length >= 2) frequency.set(row.length, (frequency.get(row.length) ?? 0) + 1);
  let modal = 0;
  let best = 0;
  for (const [size, f] of frequency) {
    if (f > best || (f === best && size > modal)) [modal, best] = [size, f];
  }
  if (modal === 0) {
    return { ...noValue(0, 'no unit has at least 2 ratings'), droppedUnits: ratings.length };
  }
  const kept = perUnit.filter((row) => row.length === modal);
  const categories = [...new Set(kept.flat())].sort(compareCategories);
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = kept.map((row) => {
    const counted = new Array<number>(categories.length).fill(0);
    for (const v of row) {
      const i = index.get(v) ?? 0;
      counted[i] = (counted[i] ?? 0) + 1;
    }
    return counted;
  });
  return { ...fleissKappa(counts), droppedUnits: ratings.length - kept.length };
}
