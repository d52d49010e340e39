import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBenchmarkFile } from '../../server/services/benchmark/import-benchmark-file.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { DbWatch } from '../support/fuzz/db-watch.ts';
import { baseBenchmarkLines, fuzzBenchmarkFiles } from '../support/fuzz/fuzz-benchmark-files.ts';
import { describeFailures } from '../support/fuzz/fuzz-report.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';
import { fuzzSettings } from '../support/test-env.ts';

/**
 * Mutated benchmark files through validate and import (docs/security.md, Fuzzing). A failure prints its seed and case
 * index: rerun with FUZZ_SEED=<seed> FUZZ_FIRST_CASE=<index> FUZZ_CASES=1.
 */
const dir = tempDir();
const { seed, cases, first } = fuzzSettings(250);
let storage: SqliteStorage;
let db: DbWatch;

beforeAll(async () => {
  storage = SqliteStorage.open({ file: join(dir, 'files.sqlite') });
  // A study that already holds the base records, so mutated files also meet "same id, different content".
  await importBenchmarkFile(storage, writeFile(dir, 'base.jsonl', `${baseBenchmarkLines().join('\n')}\n`), {
    study: 'Fuzz import 0',
    skipImages: true,
  });
  db = new DbWatch(join(dir, 'files.sqlite'));
});
afterAll(async () => {
  db.close();
  await storage.close();
});

describe('fuzzing benchmark files through validate and import', () => {
  it(`${cases} mutated files (seed ${seed}): defined reports, all-or-nothing imports`, async () => {
    const run = await fuzzBenchmarkFiles({ storage, db, dir: mkdtempSync(join(dir, 'cases-')), seed, cases, first });
    expect(describeFailures(run)).toEqual([]);
    // The mutations reach both outcomes: most files are refused, some survive their mutation and are imported.
    expect(run.outcomes['refused: invalid file'] ?? 0).toBeGreaterThan(cases / 3);
    if (cases >= 100) expect(run.outcomes.imported ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
