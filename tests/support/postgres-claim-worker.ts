import { PgDatabase } from '../../server/storage/postgres/pg-database.ts';
import { PostgresStudyWorkStorage } from '../../server/storage/postgres/postgres-study-work-storage.ts';

/**
 * A separate process taking part in the PostgreSQL claim race (tests/support/claim-race.ts), like
 * claim-worker.ts for SQLite: each of its raters claims and rates until the queue has nothing left for it, on this
 * process's own pool. Prints one JSON line: the item ids each rater rated.
 */
const [url = '', studyId = '', startAt = '0', ...raters] = process.argv.slice(2);
const db = new PgDatabase(url, { max: raters.length });
const work = new PostgresStudyWorkStorage(db);
// All workers start claiming at the same moment, so their claims really overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const now = new Date('2030-01-01T00:00:00.000Z');

// Unlike better-sqlite3, pg is asynchronous: the raters of one process claim at the same time too, each on its own
// connection, so the race is between connections within a process as well as between processes.
async function rate(rater: string): Promise<string[]> {
  const rated: string[] = [];
  for (;;) {
    const claim = await work.leaseNextRating(studyId, rater, now, () => 0.5);
    if (claim.kind === 'none') return rated;
    const outcome = await work.submitRating({
      studyId,
      participantId: rater,
      itemId: claim.lease.itemId,
      scores: { a: 3 },
      correct: 1,
      justification: '',
      secondsSpent: 1,
      attentionPassed: null,
      now,
    });
    if (outcome.kind === 'stored') rated.push(claim.lease.itemId);
  }
}

const results = await Promise.all(raters.map(async (rater) => [rater, await rate(rater)] as const));
await db.close();
process.stdout.write(`${JSON.stringify(Object.fromEntries(results))}\n`);
