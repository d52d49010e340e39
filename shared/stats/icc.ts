/**
 * Intraclass correlations for n subjects (targets) each rated by the same k raters (Shrout & Fleiss 1979, "Intraclass
 * correlations: uses in assessing rater reliability", Psychological Bulletin 86(2), 420–428). We use ICC(2,1) as the
 * absolute-agreement index for Likert ratings by several humans (and a judge as one more rater).
 */
import { noValue, statValue, type StatResult } from './stat-result.ts';

/** The three single-rater forms of Shrout & Fleiss: one-way random, two-way random, two-way mixed. */
export type IccForm = '1,1' | '2,1' | '3,1';

/** An ICC plus the bookkeeping of which rows were usable. `n` counts the complete subjects used. */
export type IccResult = StatResult & {
  /** Raters (columns), k. */
  raters: number;
  /** Subjects dropped because at least one rater's value was missing (null or NaN). */
  dropped: number;
};

/** Mean squares of the two-way ANOVA without replication (Shrout & Fleiss 1979, Table 1). */
interface MeanSquares {
  /** Between-targets mean square BMS (MS_R): k Σᵢ(x̄ᵢ. − x̄)² / (n − 1). */
  rows: number;
  /** Between-judges mean square JMS (MS_C): n Σⱼ(x̄.ⱼ − x̄)² / (k − 1). */
  columns: number;
  /** Residual mean square EMS (MS_E): (SS_total − SS_R − SS_C) / ((n − 1)(k − 1)). */
  error: number;
  /** Within-target mean square WMS: (SS_total − SS_R) / (n(k − 1)); used by the one-way ICC(1,1). */
  within: number;
}

function meanSquares(rows: readonly (readonly number[])[], k: number): MeanSquares {
  const n = rows.length;
  let grand = 0;
  const colMeans = new Float64Array(k);
  const rowMeans = new Float64Array(n);
  rows.forEach((row, i) => {
    for (let j = 0; j < k; j++) {
      const v = row[j] as number;
      rowMeans[i] = (rowMeans[i] as number) + v / k;
      colMeans[j] = (colMeans[j] as number) + v / n;
      grand += v / (n * k);
    }
  });
  let ssTotal = 0;
  rows.forEach((row) => {
    for (let j = 0; j < k; j++) ssTotal += ((row[j] as number) - grand) ** 2;
  });
  let ssRows = 0;
  for (const m of rowMeans) ssRows += k * (m - grand) ** 2;
  let ssCols = 0;
  for (const m of colMeans) ssCols += n * (m - grand) ** 2;
  // Rounding can leave a residual of −1e−15 when the ratings are perfectly additive; it is zero.
  const ssError = Math.max(0, ssTotal - ssRows - ssCols);
  return {
    rows: ssRows / (n - 1),
    columns: ssCols / (k - 1),
    error: ssError / ((n - 1) * (k - 1)),
    within: Math.max(0, ssTotal - ssRows) / (n * (k - 1)),
  };
}

/**
 * ICC of a subjects × raters matrix, single-rater reliability (Shrout & Fleiss 1979, Eqs. for Cases 1–3):
 * - '1,1' one-way random:            (BMS − WMS) / (BMS + (k−1)·WMS)
 * - '2,1' two-way random, absolute:  (BMS − EMS) / (BMS + (k−1)·EMS + k·(JMS − EMS)/n)
 * - '3,1' two-way mixed, consistency: (BMS − EMS) / (BMS + (k−1)·EMS)
 *
 * Rows with any missing value are dropped (listwise, as the balanced ANOVA requires) and counted in `dropped`.
 * Null with a reason when fewer than 2 complete subjects or 2 raters remain, or when the denominator is 0 (every
 * rating identical, so agreement is undefined rather than perfect). The ICC may be negative; it is not clamped.
 * Rows of different lengths throw, since the raters would no longer line up.
 */
export function icc(ratings: readonly (readonly (number | null)[])[], form: IccForm = '2,1'): IccResult {
  const k = ratings[0]?.length ?? 0;
  const complete: number[][] = [];
  ratings.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`row ${i} has ${row.length} ratings, row 0 has ${k}`);
    if (row.every((v) => v != null && !Number.isNaN(v))) complete.push(row as number[]);
  });
  const n = complete.length;
  const extra = { raters: k, dropped: ratings.length - n };
  if (k < 2) return { ...noValue(n, `needs at least 2 raters, got ${k}`), ...extra };
  if (n < 2) return { ...noValue(n, `needs at least 2 subjects rated by every rater, got ${n}`), ...extra };
  const ms = meanSquares(complete, k);
  let numerator: number;
  let denominator: number;
  if (form === '1,1') {
    numerator = ms.rows - ms.within;
    denominator = ms.rows + (k - 1) * ms.within;
  } else {
    numerator = ms.rows - ms.error;
    denominator = ms.rows + (k - 1) * ms.error + (form === '2,1' ? (k * (ms.columns - ms.error)) / n : 0);
  }
  if (!(denominator > 0))
    return { ...noValue(n, 'no variance between or within subjects (all ratings equal)'), ...extra };
  return { ...statValue(numerator / denominator, n), ...extra };
}

/** ICC(2,1): two-way random effects, absolute agreement, single rater; see {@link icc}. */
export function icc21(ratings: readonly (readonly (number | null)[])[]): IccResult {
  return icc(ratings, '2,1');
}
