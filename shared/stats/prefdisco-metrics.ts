import { bootstrapCis, type BootstrapCi } from './bootstrap.ts';
import type {
  ConditionMetrics,
  GroupMetrics,
  MetricRow,
  MetricsOptions,
  MetricsReport,
} from './prefdisco-metrics-types.ts';
import {
  accumulate,
  buildMatrix,
  deriveStatistics,
  discoveryKey,
  layoutFor,
  PER_CONDITION,
  PER_DISCOVERY,
  STATS_PER_DISCOVERY,
  type RecordCells,
} from './record-matrix.ts';
import { worseThanGeneric } from './worse-than-generic.ts';

export { TIE_TOLERANCE } from './record-matrix.ts';

/** The task label of a model's pooled group. */
export const POOLED_TASK = '*';

const NO_USER = 'no_user_interaction';
const SEP = '\u0000';

interface Group {
  model: string;
  task: string;
  records: Map<string, RecordCells>;
}

/** The condition key of a row, or null when its mode/user type combination is not one of the three conditions. */
function conditionKey(row: MetricRow): string | null {
  if (row.mode === 'infer_persona') return row.userType === NO_USER ? null : discoveryKey(row.userType);
  if (row.userType !== NO_USER) return null;
  return row.mode === 'no_prompt' ? 'baseline' : 'oracle';
}

/**
 * PrefDisco metrics per (model, task) and pooled per model (task '*'), with 95% percentile bootstrap CIs.
 *
 * - Rows repeating (model, task, mode, userType, problemId) keep the last one (the reference's resume can leave
 *   duplicates); the others are counted in `duplicateRowsDropped`.
 * - The bootstrap unit is the record (task, problemId): each resample draws the group's records with replacement and
 *   every statistic of the group is recomputed on that same draw. Pooled groups resample records across all tasks
 *   together (not stratified by task): simple, and slightly wider than stratified intervals when tasks differ.
 * - The formulas are documented on the fields of {@link MetricsReport} and in docs/metrics.md.
 */
export function computeMetrics(rows: readonly MetricRow[], options: MetricsOptions = {}): MetricsReport {
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 42;
  const latest = new Map<string, MetricRow>();
  for (const row of rows) latest.set([row.model, row.task, row.mode, row.userType, row.problemId].join(SEP), row);

  const groups = new Map<string, Group>();
  let ignoredRows = 0;
  for (const row of latest.values()) {
    const condition = conditionKey(row);
    if (condition === null) {
      ignoredRows++;
      continue;
    }
    // A Set, so that a task literally named '*' is not added twice to its own group.
    for (const task of new Set([row.task, POOLED_TASK])) {
      const groupKey = `${row.model}${SEP}${task}`;
      let group = groups.get(groupKey);
      if (group === undefined) groups.set(groupKey, (group = { model: row.model, task, records: new Map() }));
      // Keyed by task too: pooled groups hold records of several tasks, whose problem ids may coincide.
      const recordKey = `${row.task}${SEP}${row.problemId}`;
      let cells = group.records.get(recordKey);
      if (cells === undefined) group.records.set(recordKey, (cells = new Map()));
      cells.set(condition, { score: row.score, correct: row.correct, turns: row.turns });
    }
  }
  const isPooled = (g: Group): number => Number(g.task === POOLED_TASK);
  const ordered = [...groups.values()].sort(
    (a, b) => compare(a.model, b.model) || isPooled(a) - isPooled(b) || compare(a.task, b.task),
  );
  const perTask = ordered.filter((g) => g.task !== POOLED_TASK).map((g) => ({ records: [...g.records.values()] }));
  const prefix = discoveryKey('');
  const userTypes = new Set(
    [...latest.values()]
      .map(conditionKey)
      .flatMap((key) => (key?.startsWith(prefix) ? [key.slice(prefix.length)] : [])),
  );
  return {
    resamples,
    seed,
    level: 0.95,
    inputRows: rows.length,
    duplicateRowsDropped: rows.length - latest.size,
    ignoredRows,
    groups: ordered.map((g) => groupMetrics(g, { resamples, seed })),
    worseThanGeneric: worseThanGeneric(perTask, [...userTypes]),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupMetrics(group: Group, options: Required<MetricsOptions>): GroupMetrics {
  const records = [...group.records.values()];
  const prefix = discoveryKey('');
  const userTypes = [...new Set(records.flatMap((cells) => [...cells.keys()]))]
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length))
    .sort(compare);
  const layout = layoutFor(userTypes);
  const { width, conditions } = layout;
  const matrix = buildMatrix(records, layout);

  // Column sums over the original sample give the counts reported next to the intervals (accuracyN, paired n).
  const totals = new Float64Array(width);
  for (let i = 0; i < matrix.length; i++) totals[i % width] = (totals[i % width] ?? 0) + (matrix[i] ?? 0);
  const total = (j: number): number => totals[j] ?? 0;

  const sums = new Float64Array(width);
  const counts = new Int32Array(records.length);
  const cis = bootstrapCis(
    records.length,
    layout.statCount,
    (indices, out) => {
      accumulate(matrix, width, indices, counts, sums);
      deriveStatistics(sums, layout, out);
    },
    options,
  );
  const ci = (j: number): BootstrapCi => cis[j] as BootstrapCi;

  return {
    model: group.model,
    task: group.task,
    records: records.length,
    conditions: conditions.map((c, index): ConditionMetrics => {
      const present = records.map((cells) => cells.get(c.key)).filter((cell) => cell !== undefined);
      const scored = present.filter((cell) => cell.score !== null);
      const prefAlign = ci(2 * index);
      return {
        condition: c.condition,
        userType: c.userType,
        n: present.length,
        failed: present.length - scored.length,
        prefAlign,
        prefAlign100: {
          ...prefAlign,
          estimate: to100(prefAlign.estimate),
          low: to100(prefAlign.low),
          high: to100(prefAlign.high),
        },
        accuracy: ci(2 * index + 1),
        accuracyN: total(PER_CONDITION * index + 3),
        meanTurns: scored.length === 0 ? null : scored.reduce((sum, cell) => sum + cell.turns, 0) / scored.length,
      };
    }),
    oracleVsBaseline: { n: total(layout.ovbAt + 1), deltaAccuracy: ci(2 * conditions.length) },
    discovery: userTypes.map((userType, ui) => {
      const stat = 2 * conditions.length + 1 + STATS_PER_DISCOVERY * ui;
      const column = layout.discAt + PER_DISCOVERY * ui;
      return {
        userType,
        n: total(column),
        normalizedAlignment: ci(stat),
        worseRate: ci(stat + 1),
        tieRate: ci(stat + 2),
        betterRate: ci(stat + 3),
        accuracyN: total(column + 8),
        deltaAccuracy: ci(stat + 4),
      };
    }),
  };
}

/** PrefAlign 1–5 → 0–100 as (x − 1) / 4 × 100. */
function to100(x: number | null): number | null {
  return x === null ? null : ((x - 1) / 4) * 100;
}
