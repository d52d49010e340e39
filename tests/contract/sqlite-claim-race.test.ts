import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { T0, episodeCandidates, settings, studyWithRecords } from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
const WORKER = new URL('../support/claim-worker.ts', import.meta.url).pathname;

function worker(file: string, studyId: string, startAt: number, raters: string[]): Promise<Record<string, string[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, studyId, String(startAt), ...raters]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, string[]>)
        : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}

// better-sqlite3 is synchronous, so claims in one process never truly overlap; separate processes on one file do.
// IMMEDIATE transactions must still keep every answer at k distinct raters or fewer.
it('four processes racing for ratings on one SQLite file never exceed k per answer', async () => {
  const file = join(dir, 'race.sqlite');
  const storage = SqliteStorage.open({ file });
  const { studyId, problemIds } = await studyWithRecords(storage, 'Race', 3);
  await storage.work.saveSettings(studyId, settings({ raterOverlap: 3, quotas: { ratingsPerRater: 1000 } }), T0);
  await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 100), T0);
  await storage.close();

  const startAt = Date.now() + 3000;
  const results = await Promise.all(
    [0, 1, 2, 3].map((w) =>
      worker(
        file,
        studyId,
        startAt,
        [0, 1, 2].map((r) => `w${w}-r${r}`),
      ),
    ),
  );
  const byItem = new Map<string, string[]>();
  for (const rated of results)
    for (const [rater, items] of Object.entries(rated))
      for (const item of items) byItem.set(item, [...(byItem.get(item) ?? []), rater]);

  const check = SqliteStorage.open({ file });
  const stored = await check.work.listRatings(studyId);
  await check.close();
  expect(stored.length).toBe(300);
  expect(byItem.size).toBe(100);
  for (const raters of byItem.values()) expect(new Set(raters).size).toBe(3);
}, 60_000);
