import type { ConditionName } from './prefdisco-metrics-types.ts';

/**
 * Internal to computeMetrics (not re-exported): every record of a group becomes one row of additive contributions, so
 * that any bootstrap resample's statistics follow from the sum of its rows. This keeps the resampling loop to plain
 * float additions over a typed array.
 */

/** Scores closer than this count as equal: weighted means of integer judge scores carry float noise (0.1 + 0.2 ≠ 0.3). */
export const TIE_TOLERANCE = 1e-9;

/** One episode of one record under one condition. */
export interface Cell {
  score: number | null;
  correct: 0 | 1 | null;
  turns: number;
}
/** A record's episodes, keyed by condition key. */
export type RecordCells = Map<string, Cell>;
/** A condition as laid out in the matrix. */
export interface Condition {
  key: string;
  condition: ConditionName;
  userType: string;
}

/**
 * Column layout of one row:
 *   per condition c (baseline, oracle, discovery…), at 4c:  Σscore, #scored, Σcorrect, #correct
 *   oracle vs baseline, at ovbAt = 4C:                       Σ(cO − cB), #pairs
 *   per discovery user type u, at discAt + 9u:               #paired, ΣB, ΣO, ΣD, #worse, #tie, #better, Σ(cD − cB), #pairs with correct
 * Statistics (the `out` order): per condition 2c = PrefAlign, 2c + 1 = accuracy; 2C = Δacc(O − B); per user type at
 * 2C + 1 + 5u: normalized alignment, worse, tie, better, Δacc(D − B).
 */
export interface MatrixLayout {
  conditions: readonly Condition[];
  userTypes: readonly string[];
  width: number;
  ovbAt: number;
  discAt: number;
  statCount: number;
}

/** Columns per condition, per discovery user type, and statistics per discovery user type (see {@link MatrixLayout}). */
export const PER_CONDITION = 4;
/** See {@link PER_CONDITION}. */
export const PER_DISCOVERY = 9;
/** See {@link PER_CONDITION}. */
export const STATS_PER_DISCOVERY = 5;

/** The discovery condition key for a user type; baseline and oracle use their names as keys. */
export function discoveryKey(userType: string): string {
  return `discovery\u0000${userType}`;
}

/** The layout for a group whose discovery user types are `userTypes` (in output order). */
export function layoutFor(userTypes: readonly string[]): MatrixLayout {
  const conditions: Condition[] = [
    { key: 'baseline', condition: 'baseline', userType: 'no_user_interaction' },
    { key: 'oracle', condition: 'oracle', userType: 'no_user_interaction' },
    ...userTypes.map((u): Condition => ({ key: discoveryKey(u), condition: 'discovery', userType: u })),
  ];
  const ovbAt = PER_CONDITION * conditions.length;
  const discAt = ovbAt + 2;
  return {
    conditions,
    userTypes,
    width: discAt + PER_DISCOVERY * userTypes.length,
    ovbAt,
    discAt,
    statCount: 2 * conditions.length + 1 + STATS_PER_DISCOVERY * userTypes.length,
  };
}

/** A cell that can enter means: present and not failed. */
function scored(cell: Cell | undefined): (Cell & { score: number }) | undefined {
  return cell !== undefined && cell.score !== null ? (cell as Cell & { score: number }) : undefined;
}

/** Rows of contributions, record after record (row-major). */
export function buildMatrix(records: readonly RecordCells[], layout: MatrixLayout): Float64Array {
  const { width, ovbAt, discAt } = layout;
  const matrix = new Float64Array(records.length * width);
  records.forEach((cells, r) => {
    const row = r * width;
    layout.conditions.forEach((c, ci) => {
      const cell = scored(cells.get(c.key));
      if (cell === undefined) return;
      const at = row + PER_CONDITION * ci;
      matrix.set(cell.correct === null ? [cell.score, 1] : [cell.score, 1, cell.correct, 1], at);
    });
    const b = scored(cells.get('baseline'));
    const o = scored(cells.get('oracle'));
    if (b?.correct != null && o?.correct != null) matrix.set([o.correct - b.correct, 1], row + ovbAt);
    if (b === undefined || o === undefined) return;
    layout.userTypes.forEach((u, ui) => {
      const d = scored(cells.get(discoveryKey(u)));
      if (d === undefined) return;
      const at = row + discAt + PER_DISCOVERY * ui;
      const diff = d.score - b.score;
      const [worse, tie, better] = [diff < -TIE_TOLERANCE, Math.abs(diff) <= TIE_TOLERANCE, diff > TIE_TOLERANCE];
      matrix.set([1, b.score, o.score, d.score, +worse, +tie, +better], at);
      if (b.correct !== null && d.correct !== null) matrix.set([d.correct - b.correct, 1], at + 7);
    });
  });
  return matrix;
}

/**
 * sums = Σ over the drawn indices of their matrix rows. Counting multiplicities first lets each distinct record's row
 * be read once (about 63% of records appear in a resample); this is the hot loop of computeMetrics.
 */
export function accumulate(
  matrix: Float64Array,
  width: number,
  indices: Int32Array,
  counts: Int32Array,
  sums: Float64Array,
): void {
  counts.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number;
    counts[r] = (counts[r] as number) + 1;
  }
  sums.fill(0);
  for (let r = 0; r < counts.length; r++) {
    const c = counts[r] as number;
    if (c === 0) continue;
    const row = r * width;
    for (let j = 0; j < width; j++) sums[j] = (sums[j] as number) + c * (matrix[row + j] as number);
  }
}

/** Turns summed rows into the statistics, in the layout's `out` order; NaN marks a statistic undefined on this draw. */
export function deriveStatistics(sums: Float64Array, layout: MatrixLayout, out: Float64Array): void {
  const s = (j: number): number => sums[j] ?? 0;
  const ratio = (num: number, den: number): number => (den > 0 ? num / den : Number.NaN);
  const conditionCount = layout.conditions.length;
  for (let c = 0; c < conditionCount; c++) {
    out[2 * c] = ratio(s(PER_CONDITION * c), s(PER_CONDITION * c + 1));
    out[2 * c + 1] = ratio(s(PER_CONDITION * c + 2), s(PER_CONDITION * c + 3));
  }
  out[2 * conditionCount] = ratio(s(layout.ovbAt), s(layout.ovbAt + 1));
  for (let u = 0; u < layout.userTypes.length; u++) {
    const a = layout.discAt + PER_DISCOVERY * u;
    const o = 2 * conditionCount + 1 + STATS_PER_DISCOVERY * u;
    const n = s(a);
    const [bMean, oMean, dMean] = [ratio(s(a + 1), n), ratio(s(a + 2), n), ratio(s(a + 3), n)];
    // Ō = B̄ leaves the scale undefined; the tolerance also absorbs float noise in sums of equal values.
    out[o] = Math.abs(oMean - bMean) <= TIE_TOLERANCE ? Number.NaN : ((dMean - bMean) / (oMean - bMean)) * 100;
    out[o + 1] = ratio(s(a + 4), n);
    out[o + 2] = ratio(s(a + 5), n);
    out[o + 3] = ratio(s(a + 6), n);
    out[o + 4] = ratio(s(a + 7), s(a + 8));
  }
}
