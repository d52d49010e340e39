import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import type { ImportBenchmarkInput } from '../../server/storage/storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { exampleRecord } from '../support/records.ts';

function input(studyName: string, count: number, sha256: string, personaId?: string): ImportBenchmarkInput {
  return {
    studyName,
    sourceName: 'bench.jsonl',
    sha256,
    bytes: 1,
    metadata: null,
    records: Array.from({ length: count }, (_, i) => ({
      line: i + 1,
      task: 'math',
      record: exampleRecord(i, personaId),
    })),
  };
}

// What PostgreSQL's one-transaction import does that the shared contract cannot show: imports racing each other, and
// the start-up clean-up of rows a chunked import (SQLite's, or a database copied mid-import) left 'importing'.
describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL imports'), () => {
  const postgres = usePostgres();

  it('two imports of one file into a new study at once store it once; the other is a conflict or already imported', async () => {
    const { url } = await postgres.migratedDatabase();
    const [a, b] = [await PostgresStorage.open({ url }), await PostgresStorage.open({ url })];
    try {
      const outcomes = await Promise.allSettled([
        a.importBenchmark(input('Race', 600, 'same')),
        b.importBenchmark(input('Race', 600, 'same')),
      ]);
      const added = outcomes.filter((o) => o.status === 'fulfilled' && o.value.recordsAdded === 600);
      expect(added).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'conflict' });
        else if (o.value.recordsAdded === 0) expect(o.value).toMatchObject({ alreadyImported: true });
      }
      expect(await a.listStudies()).toMatchObject([{ name: 'Race', recordCount: 600, fileCount: 1 }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('removeUnfinishedImports deletes a file left importing with its records, criteria, new personas and study', async () => {
    const { url } = await postgres.migratedDatabase();
    const storage = await PostgresStorage.open({ url });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const kept = await storage.importBenchmark(input('Kept', 2, 'kept'));
      const cut = await storage.importBenchmark(input('Cut', 3, 'cut', 'cutoff_00000001'));
      const personaBefore = await storage.getPersona('okafor_3fa9c21b');
      // As a process killed mid-import leaves it: the file row still 'importing', having created its study.
      await client.query("UPDATE benchmark_files SET status = 'importing', created_study = 1 WHERE sha256 = 'cut'");
      expect((await storage.listStudies()).find((s) => s.name === 'Cut')).toMatchObject({ recordCount: 0 });
      expect(await storage.removeUnfinishedImports()).toBe(1);
      expect(await storage.getStudy(cut.studyId)).toBeNull();
      const counts = await client.query<{ records: number; criteria: number }>(
        `SELECT (SELECT COUNT(*) FROM records WHERE study_id = $1) AS records,
                (SELECT COUNT(*) FROM rubric_criteria WHERE study_id = $1) AS criteria`,
        [cut.studyId],
      );
      expect(counts.rows[0]).toEqual({ records: 0, criteria: 0 });
      // The persona only the cut import stored goes with it.
      expect(await storage.getPersona('cutoff_00000001')).toBeNull();
      // The other study's records and the persona they share are untouched.
      expect(await storage.listStudies()).toMatchObject([{ id: kept.studyId, recordCount: 2 }]);
      expect(await storage.getPersona('okafor_3fa9c21b')).toEqual(personaBefore);
      expect(await storage.removeUnfinishedImports()).toBe(0);
    } finally {
      await client.end();
      await storage.close();
    }
  });
});
