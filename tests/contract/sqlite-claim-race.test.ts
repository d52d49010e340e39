import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { raceForRatings, raceStudy } from '../support/claim-race.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();

// better-sqlite3 is synchronous, so claims in one process never truly overlap; separate processes on one file do.
// IMMEDIATE transactions must still keep every answer at k distinct raters or fewer.
it('four processes racing for ratings on one SQLite file never exceed k per answer', async () => {
  const file = join(dir, 'race.sqlite');
  const storage = SqliteStorage.open({ file });
  const studyId = await raceStudy(storage);
  await storage.close();

  const byItem = await raceForRatings('sqlite', file, studyId);

  const check = SqliteStorage.open({ file });
  const stored = await check.work.listRatings(studyId);
  await check.close();
  expect(stored.length).toBe(300);
  expect(byItem.size).toBe(100);
  for (const raters of byItem.values()) expect(new Set(raters).size).toBe(3);
}, 60_000);
