import type { Storage } from '../../server/storage/storage.ts';
import { runJsonProcess } from './json-process.ts';
import { T0, episodeCandidates, settings, studyWithRecords } from './study-work-fixtures.ts';

/**
 * The rating claim race both engines are put through (tests/contract/sqlite-claim-race.test.ts,
 * tests/contract/postgres-work.test.ts): a study of 100 answers wanting 3 raters each, then four processes of three
 * raters each claiming and rating until nothing is left for them, all starting at the same moment.
 */

const WORKERS = {
  sqlite: new URL('./claim-worker.ts', import.meta.url).pathname,
  postgres: new URL('./postgres-claim-worker.ts', import.meta.url).pathname,
};

/** The race's study: 100 answers, k = 3, no per-rater cap that could end the race early. Returns its id. */
export async function raceStudy(storage: Storage): Promise<string> {
  const { studyId, problemIds } = await studyWithRecords(storage, 'Race', 3);
  await storage.work.saveSettings(studyId, settings({ raterOverlap: 3, quotas: { ratingsPerRater: 1000 } }), T0);
  await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 100), T0);
  return studyId;
}

/** One worker process (its database: an SQLite file or a PostgreSQL URL); resolves to the item ids each rater rated. */
function worker(
  engine: keyof typeof WORKERS,
  database: string,
  studyId: string,
  startAt: number,
  raters: string[],
): Promise<Record<string, string[]>> {
  return runJsonProcess(WORKERS[engine], [database, studyId, String(startAt), ...raters]);
}

/** Runs the race (workers w0–w3, raters r0–r2 each; they start 3 s from now) and returns the raters of each item. */
export async function raceForRatings(
  engine: keyof typeof WORKERS,
  database: string,
  studyId: string,
): Promise<Map<string, string[]>> {
  const startAt = Date.now() + 3000;
  const results = await Promise.all(
    [0, 1, 2, 3].map((w) =>
      worker(
        engine,
        database,
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
  return byItem;
}
