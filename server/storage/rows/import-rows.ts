import { createHash } from 'node:crypto';
import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { ImportOutcome } from '../../../shared/schemas/study.ts';
import type { ImportBenchmarkInput } from '../storage.ts';

// A benchmark file's import, for both engines (sqlite/import-benchmark-queries.ts,
// postgres/postgres-import-benchmark.ts): the hashes that address records and personas, the record list's preview, the
// `benchmark_files` row and the outcome an import starts from. The writes stay per engine (chunked transactions on
// SQLite, multi-row statements on PostgreSQL).

const PREVIEW_CHARS = 160;

/** Why a second import into a study waits: the end of every conflict message an import in progress causes. */
export const IMPORT_BUSY = 'another import into this study is still being written; try again once it has finished';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The record's question on one line, cut to what the record list shows. */
export function questionPreview(record: BenchmarkRecord): string {
  const question = normalizeProblem(record).question.replace(/\s+/g, ' ').trim();
  return question.length > PREVIEW_CHARS ? `${question.slice(0, PREVIEW_CHARS - 1)}…` : question;
}

export function emptyOutcome(sha: string): ImportOutcome {
  return {
    studyId: '',
    studyCreated: false,
    fileSha256: sha,
    alreadyImported: false,
    recordsAdded: 0,
    recordsUnchanged: 0,
    personasAdded: 0,
    criteriaAdded: 0,
  };
}

/** The columns of a new `benchmark_files` row but its status (each engine writes its own); fileValues' order. */
export const FILE_COLUMNS =
  'study_id, sha256, source_name, bytes, metadata_json, record_count, imported_at, created_study';

export function fileValues(
  studyId: string,
  input: ImportBenchmarkInput,
  now: string,
  studyCreated: boolean,
): unknown[] {
  return [
    studyId,
    input.sha256,
    input.sourceName,
    input.bytes,
    input.metadata ? JSON.stringify(input.metadata) : null,
    input.records.length,
    now,
    studyCreated ? 1 : 0,
  ];
}
