import { attachIntegralFloats } from '../../../shared/benchmark/record-floats.ts';

/**
 * The `records.float_paths_json` column (migration 013), as SQLite stores it: the sorted JSON paths of the whole
 * numbers a record's line wrote as floats, '[]' when none, NULL for records stored before the column existed.
 */
export function floatPathsColumn(paths: ReadonlySet<string> | undefined): string {
  return JSON.stringify(paths ? [...paths].sort() : []);
}

/** The record object read from storage, with its stored float paths attached (shared/benchmark/record-floats.ts). */
export function withStoredFloats<T extends object>(record: T, column: string | null): T {
  if (column === null || column === '[]') return record;
  return attachIntegralFloats(record, new Set(JSON.parse(column) as string[]));
}
