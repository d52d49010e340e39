/**
 * Bland–Altman limits of agreement between two methods measuring the same quantity (Bland & Altman 1986, "Statistical
 * methods for assessing agreement between two methods of clinical measurement", The Lancet 327(8476), 307–310).
 * The agreement report uses it for PrefAlign from human-played vs simulator-played conversations.
 */
import { completePairs, type PairedSeries } from './correlation.ts';

/**
 * Mean difference and 95 % limits of agreement. Every number is null, with `reason`, when it is undefined; there is
 * no silent NaN.
 */
export interface BlandAltman {
  /** Complete pairs used (pairs with a null or NaN on either side are dropped). */
  n: number;
  /** Bias d̄ = (1/n) Σ dᵢ, dᵢ = xᵢ − yᵢ; positive when x reads higher than y. */
  meanDifference: number | null;
  /** SD of the differences with the n − 1 denominator. */
  sdDifference: number | null;
  /** d̄ − 1.96·SD(d). */
  lower: number | null;
  /** d̄ + 1.96·SD(d). */
  upper: number | null;
  /** Why some field is null. */
  reason?: string;
}

/** The 97.5 % standard-normal quantile Bland & Altman use, rounded to 1.96 as in the paper. */
const Z_975 = 1.96;

/**
 * Bland–Altman statistics of d = x − y: d̄, SD(d) (n − 1), and limits d̄ ± 1.96·SD(d).
 *
 * Degenerate cases: no complete pair → everything null; one pair → d̄ defined but SD and limits null (an SD needs two
 * differences). Zero SD is not degenerate: the limits then coincide with d̄.
 */
export function blandAltman(x: PairedSeries, y: PairedSeries): BlandAltman {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n === 0) {
    return { n, meanDifference: null, sdDifference: null, lower: null, upper: null, reason: 'no complete pairs' };
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (xs[i] as number) - (ys[i] as number);
  const meanDifference = sum / n;
  if (n < 2) {
    return {
      n,
      meanDifference,
      sdDifference: null,
      lower: null,
      upper: null,
      reason: 'needs at least 2 pairs for an SD',
    };
  }
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((xs[i] as number) - (ys[i] as number) - meanDifference) ** 2;
  const sdDifference = Math.sqrt(ss / (n - 1));
  if (!Number.isFinite(meanDifference) || !Number.isFinite(sdDifference)) {
    return { n, meanDifference: null, sdDifference: null, lower: null, upper: null, reason: 'non-finite input values' };
  }
  return {
    n,
    meanDifference,
    sdDifference,
    lower: meanDifference - Z_975 * sdDifference,
    upper: meanDifference + Z_975 * sdDifference,
  };
}
