import { bootstrapCis, type BootstrapCi } from './bootstrap.ts';
import type {
  ConditionMetrics,
  ConditionName,
  GroupMetrics,
  MetricRow,
  MetricsOptions,
  MetricsReport,
} from './prefdisco-metrics-types.ts';

/** Scores closer than this count as equal: weighted means of integer judge scores carry float noise (0.1 + 0.2 ≠ 0.3). */
export const TIE_TOLERANCE = 1e-9;
/** The task label of a model's pooled group. */
export const POOLED_TASK = '*';

const NO_USER = 'no_user_interaction';
const SEP = '\u0000';

interface Cell { score: number | null; correct: 0 | 1 | null; turns: number }
interface Group { model: string; task: string; records: Map<string, Map<string, Cell>> }
interface Condition { key: string; condition: ConditionName; userType: string }

/** The condition key of a row, or null when its mode/user type combination is not one of the three conditions. */
function conditionKey(row: MetricRow): string | null {
  if (row.mode === 'infer_persona') return row.userType === NO_USER ? null : `discovery${SEP}${row.userType}`;
  if (row.userType !== NO_USER) return null;
  return row.mode === 'no_prompt' ? 'baseline' : 'oracle';
}

/**
 * PrefDisco metrics per (model, task) and pooled per model (task '*'), with percentile bootstrap CIs.
 *
 * - Rows repeating (model, task, mode, userType, problemId) keep the last one (the reference's resume can leave
 *   duplicates); the others are counted in `duplicateRowsDropped`.
 * - The bootstrap unit is the record (task, problemId): each resample draws the group's records with replacement and
 *   every statistic of the group is recomputed on that same draw. Pooled groups resample records across all tasks
 *   together (not stratified by task), which is simple and slightly widens intervals when tasks differ.
 * - Every formula is documented on the fields of {@link MetricsReport} and in docs/metrics.md.
 */
export function computeMetrics(rows: readonly MetricRow[], options: MetricsOptions = {}): MetricsReport {
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 42;
  const latest = new Map<string, MetricRow>();
  for (const row of rows) {
    const key = [row.model, row.task, row.mode, row.userType, row.problemId].join(SEP);
    latest.delete(key); // re-insert so the kept row also takes the later position
    latest.set(key, row);
  }
  const groups = new Map<string, Group>();
  let ignoredRows = 0;
  for (const row of latest.values()) {
    const condition = conditionKey(row);
    if (condition === null) {
      ignoredRows++;
      continue;
    }
    const cell: Cell = { score: row.score, correct: row.correct, turns: row.turns };
    for (const task of new Set([row.task, POOLED_TASK])) {
      const groupKey = `${row.model}${SEP}${task}`;
      let group = groups.get(groupKey);
      if (group === undefined) groups.set(groupKey, (group = { model: row.model, task, records: new Map() }));
      const recordKey = `${row.task}${SEP}${row.problemId}`;
      let cells = group.records.get(recordKey);
      if (cells === undefined) group.records.set(recordKey, (cells = new Map()));
      cells.set(condition, cell);
    }
  }
  const ordered = [...groups.values()].sort(
    (a, b) => compare(a.model, b.model) || Number(a.task === POOLED_TASK) - Number(b.task === POOLED_TASK) || compare(a.task, b.task),
  );
  return {
    resamples,
    seed,
    level: 0.95,
    inputRows: rows.length,
    duplicateRowsDropped: rows.length - latest.size,
    ignoredRows,
    groups: ordered.map((g) => groupMetrics(g, { resamples, seed })),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A cell that can enter means: present and not failed. */
function scored(cell: Cell | undefined): (Cell & { score: number }) | undefined {
  return cell !== undefined && cell.score !== null ? (cell as Cell & { score: number }) : undefined;
}

// Accumulator layout of one record (one row of the matrix summed over each resample):
//   per condition c, at 4c:           Σscore, #scored, Σcorrect, #correct
//   oracle vs baseline, at 4C:        Σ(cO − cB), #pairs
//   per discovery user type u, at 4C + 2 + 9u:
//     #paired, ΣB, ΣO, ΣD, #worse, #tie, #better, Σ(cD − cB), #accuracy pairs
const PER_CONDITION = 4;
const PER_DISCOVERY = 9;

function groupMetrics(group: Group, options: Required<MetricsOptions>): GroupMetrics {
  const records = [...group.records.values()];
  const userTypes = [...new Set(records.flatMap((cells) => [...cells.keys()]))]
    .filter((key) => key.startsWith(`discovery${SEP}`))
    .map((key) => key.slice(`discovery${SEP}`.length))
    .sort(compare);
  const conditions: Condition[] = [
    { key: 'baseline', condition: 'baseline', userType: NO_USER },
    { key: 'oracle', condition: 'oracle', userType: NO_USER },
    ...userTypes.map((u): Condition => ({ key: `discovery${SEP}${u}`, condition: 'discovery', userType: u })),
  ];
  const ovbAt = PER_CONDITION * conditions.length;
  const discAt = ovbAt + 2;
  const width = discAt + PER_DISCOVERY * userTypes.length;
  const matrix = new Float64Array(records.length * width);

  records.forEach((cells, r) => {
    const row = r * width;
    conditions.forEach((c, ci) => {
      const cell = scored(cells.get(c.key));
      if (cell === undefined) return;
      const at = row + PER_CONDITION * ci;
      matrix[at] = cell.score;
      matrix[at + 1] = 1;
      if (cell.correct !== null) [matrix[at + 2], matrix[at + 3]] = [cell.correct, 1];
    });
    const b = scored(cells.get('baseline'));
    const o = scored(cells.get('oracle'));
    if (b?.correct != null && o?.correct != null) [matrix[row + ovbAt], matrix[row + ovbAt + 1]] = [o.correct - b.correct, 1];
    if (b === undefined || o === undefined) return;
    userTypes.forEach((u, ui) => {
      const d = scored(cells.get(`discovery${SEP}${u}`));
      if (d === undefined) return;
      const at = row + discAt + PER_DISCOVERY * ui;
      const diff = d.score - b.score;
      matrix.set([1, b.score, o.score, d.score, +(diff < -TIE_TOLERANCE), +(Math.abs(diff) <= TIE_TOLERANCE), +(diff > TIE_TOLERANCE)], at);
      if (b.correct !== null && d.correct !== null) [matrix[at + 7], matrix[at + 8]] = [d.correct - b.correct, 1];
    });
  });

  const sums = new Float64Array(width);
  const totals = new Float64Array(width);
  for (let i = 0; i < matrix.length; i++) totals[i % width] = (totals[i % width] ?? 0) + (matrix[i] ?? 0);
  const statCount = 2 * conditions.length + 1 + 5 * userTypes.length;
  const cis = bootstrapCis(
    records.length,
    statCount,
    (indices, out) => {
      sums.fill(0);
      for (let i = 0; i < indices.length; i++) {
        const row = (indices[i] ?? 0) * width;
        for (let j = 0; j < width; j++) sums[j] = (sums[j] ?? 0) + (matrix[row + j] ?? 0);
      }
      deriveStatistics(sums, conditions.length, userTypes.length, out);
    },
    options,
  );
  const ci = (j: number): BootstrapCi => cis[j] as BootstrapCi;
  const at = (j: number): number => totals[j] ?? 0;

  return {
    model: group.model,
    task: group.task,
    records: records.length,
    conditions: conditions.map((c, ci_): ConditionMetrics => {
      const present = records.map((cells) => cells.get(c.key)).filter((cell) => cell !== undefined);
      const scoredCells = present.filter((cell) => cell.score !== null);
      const prefAlign = ci(2 * ci_);
      return {
        condition: c.condition,
        userType: c.userType,
        n: present.length,
        failed: present.length - scoredCells.length,
        prefAlign,
        prefAlign100: { ...prefAlign, estimate: to100(prefAlign.estimate), low: to100(prefAlign.low), high: to100(prefAlign.high) },
        accuracy: ci(2 * ci_ + 1),
        accuracyN: at(PER_CONDITION * ci_ + 3),
        meanTurns: scoredCells.length === 0 ? null : scoredCells.reduce((s, cell) => s + cell.turns, 0) / scoredCells.length,
      };
    }),
    oracleVsBaseline: { n: at(ovbAt + 1), deltaAccuracy: ci(2 * conditions.length) },
    discovery: userTypes.map((userType, ui) => {
      const s = 2 * conditions.length + 1 + 5 * ui;
      const a = discAt + PER_DISCOVERY * ui;
      return {
        userType,
        n: at(a),
        normalizedAlignment: ci(s),
        worseRate: ci(s + 1),
        tieRate: ci(s + 2),
        betterRate: ci(s + 3),
        accuracyN: at(a + 8),
        deltaAccuracy: ci(s + 4),
      };
    }),
  };
}

/** Turns accumulated sums into the statistics, in the order read back by groupMetrics; NaN = undefined. */
function deriveStatistics(sums: Float64Array, conditionCount: number, userTypeCount: number, out: Float64Array): void {
  const s = (j: number): number => sums[j] ?? 0;
  const ratio = (num: number, den: number): number => (den > 0 ? num / den : Number.NaN);
  for (let c = 0; c < conditionCount; c++) {
    out[2 * c] = ratio(s(4 * c), s(4 * c + 1));
    out[2 * c + 1] = ratio(s(4 * c + 2), s(4 * c + 3));
  }
  const ovbAt = 4 * conditionCount;
  out[2 * conditionCount] = ratio(s(ovbAt), s(ovbAt + 1));
  for (let u = 0; u < userTypeCount; u++) {
    const a = ovbAt + 2 + PER_DISCOVERY * u;
    const o = 2 * conditionCount + 1 + 5 * u;
    const n = s(a);
    const [bMean, oMean, dMean] = [ratio(s(a + 1), n), ratio(s(a + 2), n), ratio(s(a + 3), n)];
    out[o] = Math.abs(oMean - bMean) <= TIE_TOLERANCE ? Number.NaN : ((dMean - bMean) / (oMean - bMean)) * 100;
    out[o + 1] = ratio(s(a + 4), n);
    out[o + 2] = ratio(s(a + 5), n);
    out[o + 3] = ratio(s(a + 6), n);
    out[o + 4] = ratio(s(a + 7), s(a + 8));
  }
}

function to100(x: number | null): number | null {
  return x === null ? null : ((x - 1) / 4) * 100;
}
