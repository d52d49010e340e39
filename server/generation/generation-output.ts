import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  BenchmarkRecordSchema,
  METADATA_TYPE,
  RECORD_TYPE,
  type BenchmarkRecord,
} from '../../shared/schemas/benchmark.ts';

/**
 * The output file `personalized_<task>.jsonl` in the reference format (docs/data-formats.md): a metadata line, then one
 * `personalized_problem` line per (problem, persona). Records are appended as they are made, so a crash loses
 * nothing finished; at the end of every run the file is rewritten with the records in plan order, so the bytes do
 * not depend on which concurrent pair happened to finish first.
 */

export class OutputFileError extends Error {
  override name = 'OutputFileError';
}

export interface ExistingOutput {
  records: BenchmarkRecord[];
}

export function readOutput(file: string): ExistingOutput {
  if (!existsSync(file)) return { records: [] };
  const records: BenchmarkRecord[] = [];
  const seen = new Set<string>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // A line cut short by a crash while it was being appended: that pair is simply done again.
        return;
      }
      const type = (value as { type?: unknown }).type;
      if (type === METADATA_TYPE) return;
      const parsed = BenchmarkRecordSchema.safeParse(value);
      if (type !== RECORD_TYPE || !parsed.success) {
        throw new OutputFileError(
          `${file}:${i + 1}: not a benchmark record written by generate; use a new --out directory`,
        );
      }
      const record = value as BenchmarkRecord;
      if (seen.has(record.problem_id)) return;
      seen.add(record.problem_id);
      records.push(record);
    });
  return { records };
}

export function appendRecord(file: string, record: BenchmarkRecord): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Metadata first, then the records; written to a temporary file and renamed over the output. */
export function rewriteOutput(file: string, metadata: Record<string, unknown>, records: BenchmarkRecord[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, [metadata, ...records].map((v) => `${JSON.stringify(v)}\n`).join(''));
  renameSync(tmp, file);
}
