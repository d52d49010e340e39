import { createRng } from './random.ts';

/** A point estimate with a percentile bootstrap confidence interval. Plain data, safe to JSON.stringify. */
export interface BootstrapCi {
  /** The statistic on the original sample (all indices 0…n−1 once); null when it is undefined there. */
  estimate: number | null;
  /** Lower percentile bound; null when no resample gave a defined value. */
  low: number | null;
  /** Upper percentile bound; null when no resample gave a defined value. */
  high: number | null;
  /** Resamples drawn. */
  resamples: number;
  /** Resamples on which the statistic was defined; the interval is computed over these only. */
  validResamples: number;
}

/** Options shared by the bootstrap functions. */
export interface BootstrapOptions {
  /** Number of resamples B (positive integer). Default 1000. */
  resamples?: number;
  /** Seed of the mulberry32 generator (see random.ts). Default 42. */
  seed?: number;
  /** Two-sided confidence level in (0, 1). Default 0.95. */
  level?: number;
}

/**
 * A statistic over a multiset of item indices (each index may appear several times). Return null when the statistic
 * is undefined on that multiset (e.g. a ratio with a zero denominator); such resamples are skipped. A parameter
 * declared as `Int32Array | number[]` or `ArrayLike<number>` is accepted too.
 */
export type IndexStatistic = (indices: Int32Array) => number | null;

/**
 * Several statistics computed in one pass: write statistic j into `out[j]`. `out` is reset to NaN before each call,
 * and NaN (or any non-finite value) means "undefined on this resample".
 */
export type VectorStatistic = (indices: Int32Array, out: Float64Array) => void;

/** Arithmetic mean Σx / n; null for an empty input (undefined rather than 0, so callers cannot mistake it for a value). */
export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0;
  return sum / values.length;
}

/**
 * Percentile bootstrap CI of one statistic over n items.
 *
 * Each resample draws n indices uniformly with replacement from 0…n−1 and evaluates `statistic` on them. With the
 * defined values sorted, the interval is [Q(α/2), Q(1−α/2)], α = 1 − level, where Q is the linear-interpolation
 * quantile (Hyndman–Fan type 7, numpy's default): Q(p) = x₍ₖ₎ + (h − k)(x₍ₖ₊₁₎ − x₍ₖ₎), h = (V − 1)p, k = ⌊h⌋, over the
 * V valid resamples.
 */
export function bootstrapCi(n: number, statistic: IndexStatistic, options: BootstrapOptions = {}): BootstrapCi {
  const [ci] = bootstrapCis(
    n,
    1,
    (indices, out) => {
      out[0] = statistic(indices) ?? Number.NaN;
    },
    options,
  );
  // bootstrapCis returns exactly k = 1 interval; the guard only satisfies noUncheckedIndexedAccess.
  if (ci === undefined) throw new Error('bootstrapCis returned no interval');
  return ci;
}

/**
 * Percentile bootstrap CIs of k statistics that share the same resamples (see {@link bootstrapCi} for the interval).
 *
 * Sharing resamples matters for speed (one index draw serves every statistic) and keeps the intervals of related
 * statistics, such as a rate and its complement, consistent with each other. One index buffer and one output buffer
 * are reused across resamples, so the loop allocates nothing per resample.
 */
export function bootstrapCis(
  n: number,
  k: number,
  statistic: VectorStatistic,
  options: BootstrapOptions = {},
): BootstrapCi[] {
  const { resamples = 1000, seed = 42, level = 0.95 } = options;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);

  const out = new Float64Array(k);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  out.fill(Number.NaN);
  statistic(indices, out);
  const estimates = Array.from(out, (v) => (Number.isFinite(v) ? v : null));

  // Row r holds the k statistics of resample r.
  const draws = new Float64Array(resamples * k);
  const rng = createRng(seed);
  for (let r = 0; r < resamples; r++) {
    // Inlined randomInt: n is validated once above, and this loop runs n × resamples times.
    for (let i = 0; i < n; i++) indices[i] = Math.floor(rng() * n);
    out.fill(Number.NaN);
    statistic(indices, out);
    draws.set(out, r * k);
  }

  const alpha = 1 - level;
  return estimates.map((estimate, j) => {
    const valid = new Float64Array(resamples);
    let count = 0;
    for (let r = 0; r < resamples; r++) {
      const v = draws[r * k + j] ?? Number.NaN;
      if (Number.isFinite(v)) valid[count++] = v;
    }
    const sorted = valid.subarray(0, count).sort();
    return {
      estimate,
      low: quantile(sorted, alpha / 2),
      high: quantile(sorted, 1 - alpha / 2),
      resamples,
      validResamples: count,
    };
  });
}

/** Type-7 quantile of ascending `sorted`; null when empty. */
function quantile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}
