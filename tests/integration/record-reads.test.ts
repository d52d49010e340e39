import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { attachedIntegralFloats } from '../../shared/benchmark/record-floats.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { exampleRecord } from '../support/records.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();

describe('reading records through the parsed-record cache', () => {
  it('answers the same frozen record again, and a new one once another connection filled its float positions', async () => {
    const file = join(dir, 'records.sqlite');
    const server = SqliteStorage.open({ file, lockWait: 'yield' });
    const record = exampleRecord(0);
    const first = await server.importBenchmark({
      studyName: 'Cached',
      sourceName: 'a.jsonl',
      sha256: 'sha-a',
      bytes: 1,
      metadata: null,
      records: [{ line: 1, task: 'math', record }],
    });
    const read = await server.getRecord(first.studyId, record.problem_id);
    expect(read).toEqual(record);
    expect(await server.getRecord(first.studyId, record.problem_id)).toBe(read);
    expect(Object.isFrozen(read) && Object.isFrozen(read?.persona)).toBe(true);
    expect(read && attachedIntegralFloats(read)).toBeUndefined();
    expect(await server.getRecord(first.studyId, 'no-such-problem')).toBeNull();

    // A record stored before float positions were kept (column NULL), then the same record in a second file, read
    // with its floats (4.0), imported by another connection (an import thread): the import fills the column.
    const raw = new Database(file);
    raw.prepare('UPDATE records SET float_paths_json = NULL').run();
    raw.close();
    const importer = SqliteStorage.open({ file });
    await importer.importBenchmark({
      studyName: 'Cached',
      sourceName: 'b.jsonl',
      sha256: 'sha-b',
      bytes: 1,
      metadata: null,
      records: [{ line: 1, task: 'math', record, integralFloats: new Set(['persona.age']) }],
    });
    await importer.close();
    const reread = await server.getRecord(first.studyId, record.problem_id);
    expect(reread).not.toBe(read);
    expect(reread).toEqual(record);
    expect([...((reread && attachedIntegralFloats(reread)) ?? [])]).toEqual(['persona.age']);
    await server.close();
  });
});
