import { noValue, type StatResult } from './stat-result.ts';

/** Krippendorff's levels of measurement; each picks a difference function δ² (see {@link krippendorffAlpha}). */
export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export const MEASUREMENT_LEVELS: readonly MeasurementLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/**
 * α with its parts. `n` is the number of pairable units (units with at least 2 values); `pairableValues` is
 * Krippendorff's n, the number of values in those units.
 */
export type AlphaResult = StatResult & {
  observedDisagreement?: number;
  expectedDisagreement?: number;
  pairableUnits?: number;
  pairableValues?: number;
};

/**
 * Krippendorff's α for any number of coders, missing values and four levels of measurement, computed through the
 * coincidence matrix as in Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (Annenberg School for
 * Communication, University of Pennsylvania), and Krippendorff (2004), *Content Analysis*, 2nd ed., ch. 11:
 *
 * - Units with fewer than 2 values (m_u < 2) are not pairable and are left out entirely.
 * - Coincidences: o_ck = Σ_u (number of ordered c–k value pairs from different coders in unit u) / (m_u − 1);
 *   n_c = Σ_k o_ck; n = Σ_c n_c (the number of pairable values).
 * - D_o = (1/n) Σ_c Σ_k o_ck δ²(c,k);  D_e = (1/(n(n−1))) Σ_c Σ_k n_c n_k δ²(c,k);  α = 1 − D_o / D_e.
 * - δ²: nominal 1[c ≠ k]; ordinal (Σ_{g=c..k} n_g − (n_c + n_k)/2)² over the ranked values; interval (c − k)²;
 *   ratio ((c − k)/(c + k))² (values must be ≥ 0; 0 vs 0 counts as no difference).
 *
 * Undefined (value null with a reason): fewer than 2 coders, no pairable unit, or a single value among the pairable
 * ones (D_e = 0), and negative values at the ratio level.
 *
 * @param data coders × units (each row one coder, all rows the same length); null marks a missing value.
 * @throws RangeError for ragged rows or non-finite numbers: those are caller bugs, not properties of the data.
 */
export function krippendorffAlpha(data: readonly (readonly (number | null)[])[], level: MeasurementLevel): AlphaResult {
  const units = data[0]?.length ?? 0;
  for (const [i, row] of data.entries()) {
    if (row.length !== units) throw new RangeError(`coder ${i} has ${row.length} units, coder 0 has ${units}`);
    for (const v of row)
      if (v !== null && !Number.isFinite(v)) throw new RangeError(`coder ${i}: ${v} is not a finite number`);
  }
  if (data.length < 2) return noValue(0, `needs at least 2 coders, got ${data.length}`);

  // The values of each pairable unit; values outside pairable units take no part in α (not even in n_c).
  const pairable: number[][] = [];
  for (let u = 0; u < units; u++) {
    const values = data.flatMap((row) => {
      const v = row[u];
      return v === null || v === undefined ? [] : [v];
    });
    if (values.length >= 2) pairable.push(values);
  }
  if (pairable.length === 0) return noValue(0, 'no unit has values from at least 2 coders (nothing pairable)');
  const base = { pairableUnits: pairable.length, pairableValues: pairable.reduce((s, v) => s + v.length, 0) };
  if (level === 'ratio' && pairable.some((vs) => vs.some((v) => v < 0))) {
    return { ...noValue(pairable.length, 'the ratio level needs non-negative values'), ...base };
  }

  const scale = [...new Set(pairable.flat())].sort((x, y) => x - y);
  const index = new Map(scale.map((v, i) => [v, i]));
  const k = scale.length;
  if (k < 2) {
    return { ...noValue(pairable.length, `every pairable value is ${scale[0]}: expected disagreement is 0`), ...base };
  }

  const o = coincidences(pairable, index, k);
  const nc = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let j = 0; j < k; j++) nc[c] = (nc[c] ?? 0) + (o[c * k + j] ?? 0);
  const n = base.pairableValues;
  const d2 = differences(scale, nc, level);

  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < k; j++) {
      const d = d2[c * k + j] ?? 0;
      observed += (o[c * k + j] ?? 0) * d;
      expected += (nc[c] ?? 0) * (nc[j] ?? 0) * d;
    }
  }
  const observedDisagreement = observed / n;
  const expectedDisagreement = expected / (n * (n - 1));
  // With ≥ 2 distinct values every δ² between them is > 0, so D_e > 0 here; the guard keeps NaN out regardless.
  if (!(expectedDisagreement > 0)) {
    return {
      ...noValue(pairable.length, 'expected disagreement is 0'),
      ...base,
      observedDisagreement,
      expectedDisagreement,
    };
  }
  return {
    value: 1 - observedDisagreement / expectedDisagreement,
    n: pairable.length,
    observedDisagreement,
    expectedDisagreement,
    ...base,
  };
}

/** The k × k coincidence matrix (row-major). Counting values per unit keeps this O(units · k²) instead of O(Σ m_u²). */
function coincidences(pairable: readonly number[][], index: Map<number, number>, k: number): Float64Array {
  const o = new Float64Array(k * k);
  const perUnit = new Float64Array(k);
  for (const values of pairable) {
    perUnit.fill(0);
    for (const v of values) {
      const i = index.get(v) ?? 0;
      perUnit[i] = (perUnit[i] ?? 0) + 1;
    }
    const weight = 1 / (values.length - 1);
    for (let c = 0; c < k; c++) {
      const nuc = perUnit[c] ?? 0;
      if (nuc === 0) continue;
      for (let j = 0; j < k; j++) {
        // Ordered pairs of distinct values: n_uc · n_uk between categories, n_uc (n_uc − 1) within one.
        const pairs = c === j ? nuc * (nuc - 1) : nuc * (perUnit[j] ?? 0);
        o[c * k + j] = (o[c * k + j] ?? 0) + pairs * weight;
      }
    }
  }
  return o;
}

/** δ²(c, k) for every pair of scale values (row-major), per level of measurement. */
function differences(scale: readonly number[], nc: Float64Array, level: MeasurementLevel): Float64Array {
  const k = scale.length;
  const d2 = new Float64Array(k * k);
  // cumulative[i] = n_0 + … + n_{i−1}, so Σ_{g=c..j} n_g = cumulative[j+1] − cumulative[c] for the ordinal metric.
  const cumulative = new Float64Array(k + 1);
  for (let i = 0; i < k; i++) cumulative[i + 1] = (cumulative[i] ?? 0) + (nc[i] ?? 0);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < k; j++) {
      const x = scale[c] ?? 0;
      const y = scale[j] ?? 0;
      let d: number;
      if (level === 'nominal') d = c === j ? 0 : 1;
      else if (level === 'interval') d = (x - y) ** 2;
      else if (level === 'ratio') d = x + y === 0 ? 0 : ((x - y) / (x + y)) ** 2;
      else {
        const lo = Math.min(c, j);
        const hi = Math.max(c, j);
        d = c === j ? 0 : ((cumulative[hi + 1] ?? 0) - (cumulative[lo] ?? 0) - ((nc[c] ?? 0) + (nc[j] ?? 0)) / 2) ** 2;
      }
      d2[c * k + j] = d;
    }
  }
  return d2;
}
