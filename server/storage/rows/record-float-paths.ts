import { attachIntegralFloats } from '../../../shared/benchmark/record-floats.ts';

/**
 * The `records.float_paths_json` column (migration 013), the same on both engines: the sorted JSON paths of the whole
 * numbers a record's line wrote as floats, so its persona profile prints `4.0` as the reference does. '[]' when the
 * line has none; NULL for records imported before the column existed, which print such numbers as whole numbers.
 */
export function floatPathsColumn(paths: ReadonlySet<string> | undefined): string {
  return JSON.stringify(paths ? [...paths].sort() : []);
}

/** The record object read from storage, with its stored float paths attached (shared/benchmark/record-floats.ts). */
export function withStoredFloats<T extends object>(record: T, column: string | null): T {
  if (column === null || column === '[]') return record;
  return attachIntegralFloats(record, new Set(JSON.parse(column) as string[]));
}
