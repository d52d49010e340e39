import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { ImportBenchmarkInput } from '../../server/storage/storage.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { exampleRecord } from '../support/records.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * The visibility rule of chunked imports (migration 018): records of a file that is still 'importing' are stored but
 * no reader sees them (record list, one record, the play queue's problem ids, a run's records, study counts), and the
 * start-up clean-up deletes such a file with its records, criteria, personas and the study it created. A file left
 * 'importing' is made here by setting the status of a stored file back, as a process killed before the last step
 * leaves it.
 */
const dir = tempDir('prefdisco-visibility-');
let file: string;
let storage: SqliteStorage;
let n = 0;

function input(studyName: string, records: BenchmarkRecord[], sha256: string): ImportBenchmarkInput {
  return {
    studyName,
    sourceName: 'bench.jsonl',
    sha256,
    bytes: 123,
    metadata: { type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' },
    records: records.map((record, i) => ({ line: i + 2, task: 'math', record })),
  };
}

/** Sets a stored file back to 'importing' on another connection, as a killed import leaves it. */
function leaveImporting(sha256: string): void {
  const db = new Database(file);
  try {
    expect(db.prepare("UPDATE benchmark_files SET status = 'importing' WHERE sha256 = ?").run(sha256).changes).toBe(1);
  } finally {
    db.close();
  }
}

function rows(table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

beforeEach(() => {
  file = join(dir, `visibility-${n++}.sqlite`);
  storage = SqliteStorage.open({ file });
});
afterEach(async () => {
  await storage.close();
});

describe('records of an unfinished import', () => {
  it('are hidden from every reader until the file is done', async () => {
    const { studyId } = await storage.importBenchmark(input('Seen', [exampleRecord(0)], 'sha-done'));
    const later = [exampleRecord(1, 'mbeki_5c2d1e0a'), exampleRecord(2, 'mbeki_5c2d1e0a')];
    await storage.importBenchmark(input('Seen', later, 'sha-importing'));
    expect((await storage.listRecords(studyId, { offset: 0, limit: 10 })).total).toBe(3);

    leaveImporting('sha-importing');
    const page = await storage.listRecords(studyId, { offset: 0, limit: 10 });
    expect(page.total).toBe(1);
    expect(page.items.map((r) => r.problemId)).toEqual([exampleRecord(0).problem_id]);
    expect(await storage.getRecord(studyId, later[0]?.problem_id ?? '')).toBeNull();
    expect(await storage.work.listProblemIds(studyId)).toEqual([exampleRecord(0).problem_id]);
    expect((await storage.research.listStudyRecords(studyId)).map((r) => r.problemId)).toEqual([
      exampleRecord(0).problem_id,
    ]);
    expect((await storage.listStudies()).find((s) => s.id === studyId)).toMatchObject({
      recordCount: 1,
      personaCount: 1,
      fileCount: 1,
    });
    // Stored all the same: the clean-up, or the last step, decides.
    expect(rows('records')).toBe(3);
  });

  it('are removed at start-up with their criteria, personas and the study their import created', async () => {
    await storage.importBenchmark(input('Kept', [exampleRecord(0)], 'sha-kept'));
    const before = { records: rows('records'), criteria: rows('rubric_criteria'), personas: rows('personas') };
    const { studyId } = await storage.importBenchmark(
      input('Cut short', [exampleRecord(1, 'mbeki_5c2d1e0a'), exampleRecord(2, 'mbeki_5c2d1e0a')], 'sha-cut'),
    );
    expect(rows('personas')).toBeGreaterThan(before.personas);
    leaveImporting('sha-cut');

    expect(await storage.removeUnfinishedImports()).toBe(1);
    expect(await storage.getStudy(studyId)).toBeNull();
    expect({ records: rows('records'), criteria: rows('rubric_criteria'), personas: rows('personas') }).toEqual(before);
    expect(await storage.removeUnfinishedImports()).toBe(0);
    // The same file imports again, in full.
    const again = await storage.importBenchmark(
      input('Cut short', [exampleRecord(1, 'mbeki_5c2d1e0a'), exampleRecord(2, 'mbeki_5c2d1e0a')], 'sha-cut'),
    );
    expect(again).toMatchObject({ studyCreated: true, recordsAdded: 2, alreadyImported: false });
  });

  it('refuse a second import of the same file, or of their records, while they are being written', async () => {
    await storage.importBenchmark(input('Busy', [exampleRecord(0)], 'sha-busy'));
    leaveImporting('sha-busy');
    await expect(storage.importBenchmark(input('Busy', [exampleRecord(0)], 'sha-busy'))).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already being imported/),
    });
    await expect(storage.importBenchmark(input('Busy', [exampleRecord(0)], 'sha-other'))).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^line 2: problem_id "problem_0_okafor_3fa9c21b" is in another import/),
    });
    expect(rows('benchmark_files')).toBe(1);
  });

  it('written back to back (no server serves the database) stores the same as with pauses, all or nothing', async () => {
    // More records than one chunk holds, so the unpaused path writes several transactions.
    const records = Array.from({ length: 300 }, (_, i) => exampleRecord(i));
    const paused = await storage.importBenchmark(input('Paused', records, 'sha-paused'));
    const unpaused = await storage.importBenchmark({
      ...input('Unpaused', records, 'sha-unpaused'),
      yieldToOtherWriters: false,
    });
    // Personas are stored once across studies, so only the first import adds them.
    const counts = (o: typeof paused) => [o.studyCreated, o.recordsAdded, o.recordsUnchanged, o.criteriaAdded];
    expect(counts(unpaused)).toEqual(counts(paused));
    expect(unpaused.recordsAdded).toBe(300);
    expect((await storage.listRecords(unpaused.studyId, { offset: 0, limit: 500 })).total).toBe(300);
    // A conflict in the last chunk still leaves nothing of the file.
    const changed = records.map((r, i) =>
      i === 299 ? { ...r, original_problem: { ...r.original_problem, changed: true } } : r,
    );
    const before = rows('records');
    await expect(
      storage.importBenchmark({ ...input('Unpaused', changed, 'sha-unpaused-2'), yieldToOtherWriters: false }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(rows('records')).toBe(before);
  });
});
