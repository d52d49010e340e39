import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importBenchmarkFile } from '../../server/services/benchmark/import-benchmark-file.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { startWalCheckpointer } from '../../server/storage/sqlite/wal-checkpointer.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir } from '../support/temp-files.ts';

// A big import is one transaction: its pages go to the WAL first, and without a TRUNCATE checkpoint the -wal file
// keeps the size of the largest import (SQLite reuses it but never shrinks it) until the server stops.
const dir = tempDir();

/** A valid benchmark file of `records` records, each padded to about 2 KB. */
function bigBenchmark(name: string, records: number): string {
  const lines = Array.from({ length: records }, (_, i) => {
    const record = exampleRecord(i, `big_${String(i % 50).padStart(8, '0')}`);
    record.original_problem = { ...record.original_problem, padding: `${i} ${'x'.repeat(1500)}` };
    return record;
  });
  const file = join(dir, name);
  writeFileSync(file, jsonl(lines));
  return file;
}

function walBytes(db: string): number {
  try {
    return statSync(`${db}-wal`).size;
  } catch {
    return 0;
  }
}

describe('the WAL after a large import', () => {
  for (const backgroundCheckpoint of [false, true]) {
    it(`returns to about zero (${backgroundCheckpoint ? 'server: checkpoint worker' : 'CLI: no worker'})`, async () => {
      const file = bigBenchmark(`big-${backgroundCheckpoint}.jsonl`, 4000);
      expect(statSync(file).size).toBeGreaterThan(7 * 1024 * 1024);
      const db = join(dir, `wal-${backgroundCheckpoint}.sqlite`);
      const storage = SqliteStorage.open({ file: db, backgroundCheckpoint });
      try {
        const { outcome } = await importBenchmarkFile(storage, file, { study: 'Big', skipImages: true });
        expect(outcome.recordsAdded).toBe(4000);
        expect(walBytes(db)).toBeLessThan(64 * 1024);
        expect(statSync(db).size).toBeGreaterThan(7 * 1024 * 1024);
      } finally {
        await storage.close();
      }
    });
  }
});

describe('the checkpoint worker', () => {
  /** A WAL-mode file whose WAL holds about 4 MB of committed pages, automatic checkpoints off as in the server. */
  function bigWal(name: string): Database.Database {
    const db = new Database(join(dir, name));
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) insert.run('y'.repeat(4000));
    })();
    return db;
  }

  it('truncates the WAL when asked, off the main thread', async () => {
    const db = bigWal('ask.sqlite');
    const checkpointer = startWalCheckpointer(join(dir, 'ask.sqlite'), () => undefined, 60_000);
    try {
      expect(walBytes(join(dir, 'ask.sqlite'))).toBeGreaterThan(3 * 1024 * 1024);
      expect(await checkpointer.truncate()).toBe('done');
      expect(walBytes(join(dir, 'ask.sqlite'))).toBe(0);
    } finally {
      await checkpointer.stop();
      db.close();
    }
    expect(await checkpointer.truncate()).toBe('unavailable');
  });

  it('truncates by itself once a burst of writes grows the WAL past its limit', async () => {
    const db = bigWal('burst.sqlite');
    const checkpointer = startWalCheckpointer(join(dir, 'burst.sqlite'), () => undefined, 20, 1024 * 1024);
    try {
      const started = Date.now();
      while (walBytes(join(dir, 'burst.sqlite')) > 0 && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 20));
      expect(walBytes(join(dir, 'burst.sqlite'))).toBe(0);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });
});
