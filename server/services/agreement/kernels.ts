/**
 * Bootstrap kernels. The library functions in shared/stats give every reported value; a kernel only gives the
 * interval. Each kernel is an *additive* statistic: a unit contributes fixed amounts to an accumulator (a κ joint
 * table, a coincidence matrix, sums), and the statistic is a function of the accumulator. A cluster's parts are
 * summed once, so a resample of personas costs O(personas × parts) instead of re-reading every rating (calling the
 * library per resample was ~50× slower at 10⁵ ratings). tests/unit/agreement-report.test.ts checks that every kernel
 * on the full sample equals its library function.
 */

/** Adds `value` to accumulator cell `index`. */
export type Emit = (index: number, value: number) => void;

export interface Kernel {
  /** Accumulator length. */
  size: number;
  /** Unit u's contributions. */
  parts(unit: number, emit: Emit): void;
  /** The statistic of a summed accumulator; null when undefined there. */
  finalize(acc: Float64Array): number | null;
}

/** Pairs of category codes, grouped by unit (CSR: unit u owns pairs offsets[u] … offsets[u+1] − 1). */
export interface CodedPairs {
  offsets: Int32Array;
  a: Int32Array;
  b: Int32Array;
}

export function codedPairs(perUnit: readonly (readonly (readonly [number, number])[])[]): CodedPairs {
  const offsets = new Int32Array(perUnit.length + 1);
  perUnit.forEach((pairs, u) => (offsets[u + 1] = (offsets[u] as number) + pairs.length));
  const a = new Int32Array(offsets[perUnit.length] as number);
  const b = new Int32Array(a.length);
  let p = 0;
  for (const pairs of perUnit) for (const [x, y] of pairs) [a[p], b[p++]] = [x, y];
  return { offsets, a, b };
}

/** κ weights between category values, as cohenKappa: 1[a ≠ b], or ((a − b)/range)² (quadratic). */
export function kappaWeights(values: readonly number[], kind: 'none' | 'quadratic'): Float64Array {
  const k = values.length;
  const range = Math.max(...values) - Math.min(...values);
  const w = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++)
      w[i * k + j] = i === j ? 0 : kind === 'none' ? 1 : (((values[i] as number) - (values[j] as number)) / range) ** 2;
  }
  return w;
}

/** Cohen's κ (weighted or not) of pooled pairs from the joint table O: 1 − (Σ w O / n) / (Σ w·rowA·colB / n²). */
export function kappaKernel(pairs: CodedPairs, weights: Float64Array, k: number): Kernel {
  const rowA = new Float64Array(k);
  const colB = new Float64Array(k);
  return {
    size: k * k,
    parts(u, emit) {
      for (let p = pairs.offsets[u] as number, end = pairs.offsets[u + 1] as number; p < end; p++)
        emit((pairs.a[p] as number) * k + (pairs.b[p] as number), 1);
    },
    finalize(joint) {
      rowA.fill(0);
      colB.fill(0);
      let n = 0;
      let observed = 0;
      for (let x = 0; x < k; x++) {
        for (let y = 0; y < k; y++) {
          const o = joint[x * k + y] as number;
          if (o === 0) continue;
          rowA[x] = (rowA[x] as number) + o;
          colB[y] = (colB[y] as number) + o;
          observed += (weights[x * k + y] as number) * o;
          n += o;
        }
      }
      if (n === 0) return null;
      let expected = 0;
      for (let x = 0; x < k; x++)
        for (let y = 0; y < k; y++)
          expected += (weights[x * k + y] as number) * (rowA[x] as number) * (colB[y] as number);
      return expected === 0 ? null : 1 - observed / n / (expected / (n * n));
    },
  };
}

/** Σ sums / Σ counts: a mean of per-unit contributions (MAE, rates, LOO agreement). */
export function ratioKernel(sums: Float64Array, counts: Float64Array): Kernel {
  return {
    size: 2,
    parts(u, emit) {
      if (counts[u] === 0) return;
      emit(0, sums[u] as number);
      emit(1, counts[u] as number);
    },
    finalize: (acc) => (acc[1] === 0 ? null : (acc[0] as number) / (acc[1] as number)),
  };
}

/** Codes of values in their sorted distinct set (−1 for missing). */
export function codesOf(values: readonly (number | null)[]): { codes: Int32Array; levels: number } {
  const distinct = [...new Set(values.filter((v): v is number => v !== null))].sort((x, y) => x - y);
  const index = new Map(distinct.map((v, i) => [v, i]));
  return {
    codes: Int32Array.from(values, (v) => (v === null ? -1 : (index.get(v) as number))),
    levels: distinct.length,
  };
}

/**
 * Spearman ρ (Pearson on average ranks, as `spearman`) from the counts of the distinct (x, y) pairs present: the
 * average rank of level v is (units below v) + (count of v + 1)/2, and Σ (r_x − r̄)(r_y − r̄) runs over those pairs.
 * A unit counts when both codes are ≥ 0.
 */
export function spearmanKernel(
  x: { codes: Int32Array; levels: number },
  y: { codes: Int32Array; levels: number },
): Kernel {
  const cellOf = new Map<number, number>();
  const cellA: number[] = [];
  const cellB: number[] = [];
  const unitCell = Int32Array.from(x.codes, (a, u) => {
    const b = y.codes[u] as number;
    if (a < 0 || b < 0) return -1;
    const key = a * y.levels + b;
    let cell = cellOf.get(key);
    if (cell === undefined) {
      cellOf.set(key, (cell = cellA.length));
      cellA.push(a);
      cellB.push(b);
    }
    return cell;
  });
  const cx = new Float64Array(x.levels);
  const cy = new Float64Array(y.levels);
  const ranks = (counts: Float64Array): void => {
    let below = 0;
    for (let v = 0; v < counts.length; v++) {
      const c = counts[v] as number;
      counts[v] = below + (c + 1) / 2;
      below += c;
    }
  };
  return {
    size: cellA.length,
    parts(u, emit) {
      if ((unitCell[u] as number) >= 0) emit(unitCell[u] as number, 1);
    },
    finalize(acc) {
      cx.fill(0);
      cy.fill(0);
      let n = 0;
      for (let c = 0; c < acc.length; c++) {
        const m = acc[c] as number;
        cx[cellA[c] as number] = (cx[cellA[c] as number] as number) + m;
        cy[cellB[c] as number] = (cy[cellB[c] as number] as number) + m;
        n += m;
      }
      if (n < 3) return null;
      ranks(cx);
      ranks(cy);
      const mean = (n + 1) / 2; // average ranks always average (n + 1)/2
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let c = 0; c < acc.length; c++) {
        const m = acc[c] as number;
        if (m === 0) continue;
        const dx = (cx[cellA[c] as number] as number) - mean;
        const dy = (cy[cellB[c] as number] as number) - mean;
        sxy += m * dx * dy;
        sxx += m * dx * dx;
        syy += m * dy * dy;
      }
      return sxx === 0 || syy === 0 ? null : Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    },
  };
}

/** Pearson r from sums (n, Σx, Σy, Σx², Σy², Σxy) over units where both values are present (non-NaN). */
export function pearsonKernel(x: Float64Array, y: Float64Array): Kernel {
  return {
    size: 6,
    parts(u, emit) {
      const a = x[u] as number;
      const b = y[u] as number;
      if (Number.isNaN(a) || Number.isNaN(b)) return;
      emit(0, 1);
      emit(1, a);
      emit(2, b);
      emit(3, a * a);
      emit(4, b * b);
      emit(5, a * b);
    },
    finalize(acc) {
      const [n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0] = acc;
      if (n < 3) return null;
      const vx = sxx - (sx * sx) / n;
      const vy = syy - (sy * sy) / n;
      // Scores are 1–5, so variances below rounding noise of these sums mean a constant side: r is undefined.
      if (!(vx > 1e-12 * sxx) || !(vy > 1e-12 * syy)) return null;
      return Math.max(-1, Math.min(1, (sxy - (sx * sy) / n) / Math.sqrt(vx * vy)));
    },
  };
}
