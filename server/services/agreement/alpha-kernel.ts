import { createRng } from '../../../shared/stats/index.ts';
import type { Kernel } from './kernels.ts';
// The same tie-breaking as looAgreement, so resampled values match the library's point estimate.
import { modeOf } from '../../../shared/stats/leave-one-out.ts';

/**
 * Krippendorff's α as a kernel (kernels.ts): o_ck is a sum over units, so a resample's coincidence matrix is the sum
 * of its units' parts; the ordinal δ² depends on the resample's marginals and is computed from them each time,
 * exactly as krippendorffAlpha does.
 */
export function alphaKernel(unitValues: readonly (readonly number[])[], level: 'ordinal' | 'interval'): Kernel {
  return level === 'interval' ? intervalAlphaKernel(unitValues) : ordinalAlphaKernel(unitValues);
}

/**
 * Interval α from moments, for continuous scores with many distinct values (a k × k matrix would be large): with
 * δ² = (c − k)², D_o = (1/n) Σ_u Σ_{i≠j} (v_i − v_j)² / (m_u − 1) and D_e = 2 (Σv² − (Σv)²/n) / (n − 1).
 * Accumulator: [n, Σv, Σv², Σ_u within-unit term].
 */
function intervalAlphaKernel(unitValues: readonly (readonly number[])[]): Kernel {
  return {
    size: 4,
    parts(u, emit) {
      const values = unitValues[u] as readonly number[];
      if (values.length < 2) return;
      let pairs = 0;
      let s1 = 0;
      let s2 = 0;
      for (const a of values) {
        s1 += a;
        s2 += a * a;
        for (const b of values) pairs += (a - b) ** 2;
      }
      emit(0, values.length);
      emit(1, s1);
      emit(2, s2);
      emit(3, pairs / (values.length - 1));
    },
    finalize(acc) {
      const [n = 0, sum = 0, squares = 0, within = 0] = acc;
      if (n <= 1) return null;
      const spread = squares - (sum * sum) / n;
      // Below rounding noise the values are all equal: D_e = 0 and α is undefined, as in krippendorffAlpha.
      if (!(spread > 1e-12 * squares)) return null;
      return 1 - within / n / ((2 * spread) / (n - 1));
    },
  };
}

/** Ordinal α from the k × k coincidence matrix; a unit adds n_uc · (n_uk − 1[c = k]) / (m_u − 1) to cell (c, k). */
function ordinalAlphaKernel(unitValues: readonly (readonly number[])[]): Kernel {
  const scale = [...new Set(unitValues.flat())].sort((x, y) => x - y);
  const index = new Map(scale.map((v, i) => [v, i]));
  const k = scale.length;
  const counts = new Float64Array(k);
  const nc = new Float64Array(k);
  const cumulative = new Float64Array(k + 1);
  return {
    size: k * k,
    parts(u, emit) {
      const values = unitValues[u] as readonly number[];
      if (values.length < 2) return;
      counts.fill(0);
      for (const v of values) counts[index.get(v) as number] = (counts[index.get(v) as number] as number) + 1;
      for (let c = 0; c < k; c++) {
        if (counts[c] === 0) continue;
        for (let j = 0; j < k; j++) {
          const pairs = (counts[c] as number) * ((counts[j] as number) - (c === j ? 1 : 0));
          if (pairs > 0) emit(c * k + j, pairs / (values.length - 1));
        }
      }
    },
    finalize(o) {
      nc.fill(0);
      let n = 0;
      for (let c = 0; c < k; c++) for (let j = 0; j < k; j++) nc[c] = (nc[c] as number) + (o[c * k + j] as number);
      for (let c = 0; c < k; c++) {
        n += nc[c] as number;
        cumulative[c + 1] = (cumulative[c] as number) + (nc[c] as number);
      }
      if (n <= 1) return null;
      let observed = 0;
      let expected = 0;
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < k; j++) {
          if (c === j) continue;
          const lo = Math.min(c, j);
          const hi = Math.max(c, j);
          const d =
            ((cumulative[hi + 1] as number) -
              (cumulative[lo] as number) -
              ((nc[c] as number) + (nc[j] as number)) / 2) **
            2;
          observed += (o[c * k + j] as number) * d;
          expected += (nc[c] as number) * (nc[j] as number) * d;
        }
      }
      const dExpected = expected / (n * (n - 1));
      return dExpected > 0 ? 1 - observed / n / dExpected : null;
    },
  };
}

/** Per unit, LOO contributions (sum and count) of the humans and of the judge: the ceiling's bootstrap parts. */
export interface LooParts {
  humanSum: Float64Array;
  humanCount: Float64Array;
  judgeSum: Float64Array;
  judgeCount: Float64Array;
}

/**
 * The per-unit terms of looAgreement and looAgainst, walking the units in the same order with the same seeded
 * tie-breaks, so Σ sums / Σ counts over all units equals their values (checked in the unit tests).
 */
export function looParts(
  unitValues: readonly (readonly number[])[],
  judge: readonly (number | null)[],
  agree: 'exact' | 'absolute',
  seed: number,
): LooParts {
  const n = unitValues.length;
  const parts: LooParts = {
    humanSum: new Float64Array(n),
    humanCount: new Float64Array(n),
    judgeSum: new Float64Array(n),
    judgeCount: new Float64Array(n),
  };
  const rng = createRng(seed);
  const score = (x: number, ref: number): number => (agree === 'exact' ? (x === ref ? 1 : 0) : Math.abs(x - ref));
  unitValues.forEach((present, u) => {
    if (present.length < 2) return;
    present.forEach((value, j) => {
      const others = present.filter((_, o) => o !== j);
      const ref = agree === 'exact' ? modeOf(others, rng) : others.reduce((s, v) => s + v, 0) / others.length;
      parts.humanSum[u] = (parts.humanSum[u] as number) + score(value, ref);
      parts.humanCount[u] = (parts.humanCount[u] as number) + 1;
      const f = judge[u];
      if (f === null || f === undefined) return;
      parts.judgeSum[u] = (parts.judgeSum[u] as number) + score(f, ref);
      parts.judgeCount[u] = (parts.judgeCount[u] as number) + 1;
    });
  });
  return parts;
}
