/**
 * Paired agreement statistics for two numeric series: Pearson r, Spearman ρ, Kendall τ-b, MAE and RMSE.
 * Every function drops the pairs where either side is null or NaN and reports in
 * `n` how many pairs remained, so a score missing on one side never shifts the other side's values.
 */
import { noValue, statValue, type StatResult } from './stat-result.ts';

/** One side of a paired series; null (or NaN) marks a missing value. */
export type PairedSeries = ArrayLike<number | null>;

/** The complete pairs of `x` and `y`, in input order. Unequal lengths are a caller bug, so they throw. */
export function completePairs(x: PairedSeries, y: PairedSeries): { xs: Float64Array; ys: Float64Array } {
  if (x.length !== y.length) throw new RangeError(`paired series differ in length: ${x.length} vs ${y.length}`);
  const xs = new Float64Array(x.length);
  const ys = new Float64Array(x.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a == null || b == null || Number.isNaN(a) || Number.isNaN(b)) continue;
    xs[n] = a;
    ys[n] = b;
    n++;
  }
  return { xs: xs.subarray(0, n), ys: ys.subarray(0, n) };
}

/** Correlation on complete pairs; shared by Pearson and Spearman (Spearman is Pearson on ranks). */
function productMoment(xs: Float64Array, ys: Float64Array): StatResult {
  const n = xs.length;
  // Two points always lie on a line (r = ±1), so r carries no information below three pairs.
  if (n < 3) return noValue(n, `needs at least 3 complete pairs, got ${n}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  // Two-pass (centred) sums: the one-pass Σxy − n·x̄ȳ form loses precision on large, nearly constant scores.
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0) return noValue(n, 'x has zero variance');
  if (syy === 0) return noValue(n, 'y has zero variance');
  // Rounding can push |r| a hair above 1; clamp so callers can rely on r ∈ [−1, 1].
  return statValue(Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))), n);
}

/**
 * Pearson product-moment correlation r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²) (Pearson 1896).
 * Null when fewer than 3 complete pairs remain or either side has zero variance.
 */
export function pearson(x: PairedSeries, y: PairedSeries): StatResult {
  const { xs, ys } = completePairs(x, y);
  return productMoment(xs, ys);
}

/**
 * Average ranks (1-based): tied values share the mean of the ranks they span, so the ranks of [10, 20, 20, 30] are
 * [1, 2.5, 2.5, 4]. This is the "fractional ranking" that makes Spearman's ρ tie-corrected.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end] as number] === values[order[start] as number]) end++;
    const rank = (start + 1 + end) / 2; // mean of the 1-based ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman rank correlation ρ: Pearson r of the average ranks (Spearman 1904). With ties this differs from the
 * textbook 1 − 6Σd²/(n(n²−1)), which assumes distinct ranks; Pearson-on-ranks is the tie-corrected form (as in
 * scipy.stats.spearmanr). Null when fewer than 3 pairs remain or all ranks on one side are tied.
 */
export function spearman(x: PairedSeries, y: PairedSeries): StatResult {
  const { xs, ys } = completePairs(x, y);
  return productMoment(averageRanks(xs), averageRanks(ys));
}

/** Number of pairs within runs of equal values in a sorted-by-key sequence: Σ t(t−1)/2 over runs of length t. */
function tiedPairs(n: number, same: (i: number) => boolean): number {
  let total = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && same(i)) run++;
    else {
      total += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return total;
}

/**
 * Kendall rank correlation τ-b (Kendall 1945), tie-corrected:
 * τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)), n₀ = n(n−1)/2, n₁ = pairs tied in x, n₂ = pairs tied in y.
 *
 * O(n log n) by Knight's (1966) algorithm, as in scipy.stats.kendalltau: sort by (x, y), then a merge sort on y counts
 * the swaps, which are the discordant pairs; n_c − n_d = n₀ − n₁ − n₂ + n₃ − 2·swaps, n₃ = pairs tied in both.
 * Null when fewer than 3 pairs remain or one side is constant (n₀ = n₁ or n₀ = n₂).
 */
export function kendallTauB(x: PairedSeries, y: PairedSeries): StatResult {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n < 3) return noValue(n, `needs at least 3 complete pairs, got ${n}`);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (xs[a] as number) - (xs[b] as number) || (ys[a] as number) - (ys[b] as number),
  );
  const sx = Float64Array.from(order, (i) => xs[i] as number);
  let sy = Float64Array.from(order, (i) => ys[i] as number);
  const n0 = (n * (n - 1)) / 2;
  const n1 = tiedPairs(n, (i) => sx[i] === sx[i - 1]);
  const n3 = tiedPairs(n, (i) => sx[i] === sx[i - 1] && sy[i] === sy[i - 1]);
  // Bottom-up merge sort of y; every element taken from the right run jumps over the rest of the left run, and each
  // such jump is one discordant pair (strictly, since equal y's are taken from the left first).
  let swaps = 0;
  let buffer = new Float64Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if ((sy[j] as number) < (sy[i] as number)) {
          swaps += mid - i;
          buffer[k++] = sy[j++] as number;
        } else buffer[k++] = sy[i++] as number;
      }
      while (i < mid) buffer[k++] = sy[i++] as number;
      while (j < hi) buffer[k++] = sy[j++] as number;
    }
    [sy, buffer] = [buffer, sy];
  }
  const n2 = tiedPairs(n, (i) => sy[i] === sy[i - 1]);
  if (n0 === n1) return noValue(n, 'x is constant (every pair tied in x)');
  if (n0 === n2) return noValue(n, 'y is constant (every pair tied in y)');
  const s = n0 - n1 - n2 + n3 - 2 * swaps;
  return statValue(Math.max(-1, Math.min(1, s / Math.sqrt((n0 - n1) * (n0 - n2)))), n);
}

/** Mean absolute error (1/n) Σ|xᵢ − yᵢ|. One pair suffices (the value is exact); null only when no pair remains. */
export function meanAbsoluteError(x: PairedSeries, y: PairedSeries): StatResult {
  const { xs, ys } = completePairs(x, y);
  if (xs.length === 0) return noValue(0, 'no complete pairs');
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.abs((xs[i] as number) - (ys[i] as number));
  return statValue(sum / xs.length, xs.length);
}

/** Root mean square error √((1/n) Σ(xᵢ − yᵢ)²). Null only when no complete pair remains. */
export function rootMeanSquareError(x: PairedSeries, y: PairedSeries): StatResult {
  const { xs, ys } = completePairs(x, y);
  if (xs.length === 0) return noValue(0, 'no complete pairs');
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += ((xs[i] as number) - (ys[i] as number)) ** 2;
  return statValue(Math.sqrt(sum / xs.length), xs.length);
}
