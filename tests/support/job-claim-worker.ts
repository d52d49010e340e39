import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';

/**
 * A separate process taking part in a job-claim race (tests/contract/job-storage.test.ts): claims jobs on its own
 * connection to the shared database file until none is left, finishing each. Prints one JSON line: the job keys it
 * claimed.
 */
const [file = '', owner = '', startAt = '0'] = process.argv.slice(2);
const storage = SqliteStorage.open({ file });
// All workers start claiming at the same moment, so their claims really overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const claimed: string[] = [];
for (;;) {
  const job = await storage.jobs.claimJob({ kinds: ['race'], owner, leaseMs: 60_000, now: new Date() });
  if (!job) break;
  claimed.push(job.key);
  // A moment of "work" per job, so one process cannot drain the queue before the others have started.
  await new Promise((resolve) => setTimeout(resolve, 10));
  await storage.jobs.finishJob(job.id, owner, 'done');
}
await storage.close();
process.stdout.write(`${JSON.stringify(claimed)}\n`);
