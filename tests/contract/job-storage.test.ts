import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { runJsonProcess } from '../support/json-process.ts';
import { tempDir } from '../support/temp-files.ts';
import { jobStorageContract } from './job-storage.contract.ts';

const dir = tempDir();
let n = 0;

// Two connections to one real database file, as the server's loop and its research worker have.
jobStorageContract('sqlite', async () => {
  const file = join(dir, `jobs-${++n}.sqlite`);
  return [SqliteStorage.open({ file }), SqliteStorage.open({ file })];
});

const WORKER = new URL('../support/job-claim-worker.ts', import.meta.url).pathname;

function worker(file: string, owner: string, startAt: number): Promise<string[]> {
  return runJsonProcess(WORKER, [file, owner, String(startAt)]);
}

// better-sqlite3 is synchronous, so claims in one process never truly overlap; separate processes on one file do.
it('four processes claiming from one queue at once never both get one job, and every job is claimed', async () => {
  const file = join(tempDir(), 'job-race.sqlite');
  const storage = SqliteStorage.open({ file });
  for (let i = 0; i < 120; i++) await storage.jobs.enqueueJob({ kind: 'race', key: `job-${i}`, payload: { i } });
  await storage.close();

  const startAt = Date.now() + 5000;
  const results = await Promise.all(['p0', 'p1', 'p2', 'p3'].map((owner) => worker(file, owner, startAt)));
  const all = results.flat();
  expect(all).toHaveLength(120);
  expect(new Set(all).size).toBe(120);
  // The race was real: more than one process got work.
  expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);

  const check = SqliteStorage.open({ file });
  const done = await check.jobs.listJobs({ statuses: ['done'] });
  await check.close();
  expect(done).toHaveLength(120);
  for (const job of done) expect(job.attempts).toBe(1);
}, 60_000);
