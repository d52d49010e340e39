import type { EpisodeSource } from '../../../shared/schemas/research.ts';
import { POOLED_TASK, type MetricRow } from '../../../shared/stats/index.ts';

/** A metric row with where its episode came from, so coverage can be told per source. */
export interface SourcedRow {
  row: MetricRow;
  source: EpisodeSource;
  episodeId: string;
}

type ConditionName = 'baseline' | 'oracle' | 'discovery';

/** What one results row (model × task scope × condition × user type) rests on. */
export interface RowCoverage {
  model: string;
  /** The task, or '*' for the model pooled over tasks, as in the metrics groups. */
  task: string;
  condition: ConditionName;
  userType: string;
  /** Completed episodes; more than `records` when a record was played more than once (the latest one counts). */
  episodes: number;
  /** Distinct records (task, problem id). */
  records: number;
}

/** Which records the rows cover: per episode source, all rows together, and every row at once. */
export interface RecordCoverage {
  /** Distinct records with a completed episode from each source (live = played by people). */
  bySource: Record<EpisodeSource, number>;
  /** Records covered by at least one row. */
  union: number;
  /** Records covered by every row (model × condition × user type, pooled over tasks): what "same records only" keeps. */
  common: number;
}

/**
 * The condition a row counts in, or null when computeMetrics ignores it: the same rule as its conditionKey
 * (shared/stats/prefdisco-metrics.ts), so coverage never counts a row the metrics leave out.
 */
function conditionOf(row: MetricRow): ConditionName | null {
  if (row.mode === 'infer_persona') return row.userType === 'no_user_interaction' ? null : 'discovery';
  if (row.userType !== 'no_user_interaction') return null;
  return row.mode === 'no_prompt' ? 'baseline' : 'oracle';
}

const SEP = '\u0000';
const recordOf = (row: MetricRow): string => `${row.task}${SEP}${row.problemId}`;

/** The rows computeMetrics turns into conditions, with their condition. */
function counted(rows: readonly SourcedRow[]): { sourced: SourcedRow; condition: ConditionName }[] {
  return rows.flatMap((sourced) => {
    const condition = conditionOf(sourced.row);
    return condition === null ? [] : [{ sourced, condition }];
  });
}

/** Records per source, in all rows, and in every row (a row being model × condition × user type over all tasks). */
export function recordCoverage(rows: readonly SourcedRow[]): { coverage: RecordCoverage; common: Set<string> } {
  const bySource: Record<EpisodeSource, Set<string>> = { batch: new Set(), live: new Set(), twin: new Set() };
  const perRow = new Map<string, Set<string>>();
  for (const { sourced, condition } of counted(rows)) {
    const record = recordOf(sourced.row);
    bySource[sourced.source].add(record);
    const key = [sourced.row.model, condition, sourced.row.userType].join(SEP);
    let records = perRow.get(key);
    if (records === undefined) perRow.set(key, (records = new Set()));
    records.add(record);
  }
  const sets = [...perRow.values()];
  const union = new Set(sets.flatMap((s) => [...s]));
  const common = new Set([...union].filter((record) => sets.every((s) => s.has(record))));
  return {
    coverage: {
      bySource: { batch: bySource.batch.size, live: bySource.live.size, twin: bySource.twin.size },
      union: union.size,
      common: common.size,
    },
    common,
  };
}

/** Only the rows whose record is in `records`. */
export function onlyRecords(rows: readonly SourcedRow[], records: ReadonlySet<string>): SourcedRow[] {
  return rows.filter((r) => records.has(recordOf(r.row)));
}

/** Episodes and records behind each results row, per task and pooled ('*'), in the rows' order of first appearance. */
export function rowCoverage(rows: readonly SourcedRow[]): RowCoverage[] {
  const byRow = new Map<string, { row: Omit<RowCoverage, 'records'>; records: Set<string> }>();
  for (const { sourced, condition } of counted(rows)) {
    const { model, task, userType } = sourced.row;
    for (const scope of new Set([task, POOLED_TASK])) {
      const key = [model, scope, condition, userType].join(SEP);
      let entry = byRow.get(key);
      if (entry === undefined)
        byRow.set(key, (entry = { row: { model, task: scope, condition, userType, episodes: 0 }, records: new Set() }));
      entry.row.episodes += 1;
      entry.records.add(recordOf(sourced.row));
    }
  }
  return [...byRow.values()].map(({ row, records }) => ({ ...row, records: records.size }));
}
