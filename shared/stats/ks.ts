/**
 * Two-sample Kolmogorov–Smirnov statistic, for the agreement report's distributional realism: do simulated users'
 * turns-to-completion, words per turn, … follow the same distribution as real users'?
 */
import { noValue, statValue, type StatResult } from './stat-result.ts';

/** D with its asymptotic p-value and the two sample sizes; `n` is nA + nB. */
export type KsResult = StatResult & {
  nA: number;
  nB: number;
  /** Asymptotic two-sided p-value (see {@link ksStatistic}); null when D is. */
  pValue: number | null;
};

/**
 * Kolmogorov's limiting survival function Q(λ) = P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} (Kolmogorov 1933).
 * For λ < 1.18 that alternating series converges slowly, so the equivalent theta-function form
 * P(K ≤ λ) = (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} is used there (Marsaglia, Tsang & Wang 2003, eq. 2).
 */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    let sum = 0;
    for (let k = 1; k <= 20; k++) sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function presentSorted(values: ArrayLike<number | null>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v != null && !Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/**
 * Two-sample KS statistic D = sup_t |F_A(t) − F_B(t)| over the empirical CDFs (Smirnov 1939). Both CDFs are evaluated
 * after every observation equal to t has been counted, so ties across the samples are handled exactly. O((a+b) log).
 *
 * p-value: Q((√nₑ + 0.12 + 0.11/√nₑ)·D), nₑ = nA·nB/(nA+nB), Stephens' (1970) small-sample correction of the
 * asymptotic distribution (Numerical Recipes, 3rd ed., §14.3.3). It is approximate for small samples, with ties, or for
 * discrete data (conservative there); treat it as a guide, not an exact test.
 *
 * Null/NaN values are dropped. Null D with a reason when either sample is empty.
 */
export function ksStatistic(a: ArrayLike<number | null>, b: ArrayLike<number | null>): KsResult {
  const sa = presentSorted(a);
  const sb = presentSorted(b);
  const nA = sa.length;
  const nB = sb.length;
  if (nA === 0 || nB === 0)
    return { ...noValue(nA + nB, 'both samples need at least one value'), nA, nB, pValue: null };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < nA && j < nB) {
    const t = Math.min(sa[i] as number, sb[j] as number);
    while (i < nA && sa[i] === t) i++;
    while (j < nB && sb[j] === t) j++;
    d = Math.max(d, Math.abs(i / nA - j / nB));
  }
  // Once one sample is exhausted its CDF is 1 and the other's only rises towards 1, so the supremum is already found.
  const ne = (nA * nB) / (nA + nB);
  const sqrtNe = Math.sqrt(ne);
  const pValue = kolmogorovQ((sqrtNe + 0.12 + 0.11 / sqrtNe) * d);
  return { ...statValue(d, nA + nB), nA, nB, pValue };
}
