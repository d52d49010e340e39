/**
 * Cluster (block) bootstrap: resample whole clusters, such as personas, items or raters, instead of single
 * observations. Ratings that share a persona are correlated, and an item-level bootstrap treats them as independent, so
 * its interval is too narrow.
 */
import type { BootstrapCi, BootstrapOptions, IndexStatistic } from './bootstrap.ts';
import { createRng } from './random.ts';

/** A {@link BootstrapCi} plus the number of clusters, and why the interval is null when it is degenerate. */
export interface ClusterBootstrapCi extends BootstrapCi {
  /** Distinct cluster ids G. */
  clusters: number;
  /** Set when no interval could be formed (no items, or a single cluster). */
  reason?: string;
}

/**
 * Percentile cluster-bootstrap CI (Davison & Hinkley 1997, "Bootstrap Methods and their Application", §3.8, strategy 1:
 * resample clusters with replacement, keep each cluster's items intact; Field & Welsh 2007 for its consistency).
 *
 * Each resample draws G cluster ids uniformly with replacement from the G distinct ids in `clusterOf` and passes the
 * concatenation of those clusters' item indices (a multiset; its length varies with cluster sizes) to `statistic`.
 * Conventions match {@link bootstrapCi}: the estimate is the statistic on all items 0…n−1 in order; the interval is
 * [Q(α/2), Q(1−α/2)], α = 1 − level, type-7 quantiles over the resamples where the statistic is defined (finite);
 * defaults B = 1000, seed 42, level 0.95; the same seed gives the same interval.
 *
 * Degenerate: with no items, or a single cluster (every resample is the original sample, so the bootstrap says
 * nothing about sampling variability), `low`/`high` are null and `reason` says why; the estimate is still given.
 *
 * Speed: clusters are stored as one CSR index (offsets + members) and one growable index buffer is reused, so a
 * resample costs O(n) copying and allocates only a subarray view.
 *
 * @param clusterOf Cluster id of each item (any finite numbers; they need not be contiguous).
 */
export function clusterBootstrapCi(
  clusterOf: ArrayLike<number>,
  statistic: IndexStatistic,
  options: BootstrapOptions = {},
): ClusterBootstrapCi {
  const { resamples = 1000, seed = 42, level = 0.95 } = options;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = clusterOf.length;

  // Compact ids to 0…G−1 in first-seen order, so the draw sequence depends only on the data order and the seed.
  const compact = new Map<number, number>();
  const clusterIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = clusterOf[i] as number;
    if (!Number.isFinite(id)) throw new RangeError(`cluster id of item ${i} is not a finite number: ${id}`);
    let c = compact.get(id);
    if (c === undefined) compact.set(id, (c = compact.size));
    clusterIndex[i] = c;
  }
  const g = compact.size;
  const offsets = new Int32Array(g + 1);
  for (let i = 0; i < n; i++) {
    const c = clusterIndex[i] as number;
    offsets[c + 1] = (offsets[c + 1] as number) + 1;
  }
  for (let c = 0; c < g; c++) offsets[c + 1] = (offsets[c + 1] as number) + (offsets[c] as number);
  const members = new Int32Array(n);
  const fill = offsets.slice(0, g);
  for (let i = 0; i < n; i++) {
    const c = clusterIndex[i] as number;
    const pos = fill[c] as number;
    members[pos] = i;
    fill[c] = pos + 1;
  }

  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const raw = n > 0 ? statistic(all) : null;
  const estimate = raw != null && Number.isFinite(raw) ? raw : null;
  const degenerate = (reason: string): ClusterBootstrapCi => ({
    estimate,
    low: null,
    high: null,
    resamples,
    validResamples: 0,
    clusters: g,
    reason,
  });
  if (n === 0) return degenerate('no items');
  if (g < 2) return degenerate('only one cluster: every cluster resample equals the original sample');

  let buffer = new Int32Array(n * 2);
  const draws = new Float64Array(resamples);
  let valid = 0;
  const rng = createRng(seed);
  for (let r = 0; r < resamples; r++) {
    let length = 0;
    for (let d = 0; d < g; d++) {
      const c = Math.floor(rng() * g);
      const start = offsets[c] as number;
      const end = offsets[c + 1] as number;
      // Rarely taken (only when big clusters are drawn repeatedly), so the branch is nearly free; measured faster than
      // drawing all G ids first and sizing the buffer once.
      if (length + end - start > buffer.length) {
        const grown = new Int32Array(Math.max(buffer.length * 2, length + end - start));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      for (let k = start; k < end; k++) buffer[length++] = members[k] as number;
    }
    const v = statistic(buffer.subarray(0, length));
    if (v != null && Number.isFinite(v)) draws[valid++] = v;
  }

  const sorted = draws.subarray(0, valid).sort();
  const alpha = 1 - level;
  return {
    estimate,
    low: quantile7(sorted, alpha / 2),
    high: quantile7(sorted, 1 - alpha / 2),
    resamples,
    validResamples: valid,
    clusters: g,
  };
}

/** Type-7 (linear interpolation) quantile of ascending `sorted`, as in bootstrap.ts; null when empty. */
function quantile7(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}
