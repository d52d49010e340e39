import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';

/**
 * A separate process taking part in a claim race (tests/support/claim-race.ts): each of its raters
 * claims and rates until the queue has nothing left for it, on its own connection to the shared database file.
 * Prints one JSON line: the item ids each rater rated.
 */
const [file = '', studyId = '', startAt = '0', ...raters] = process.argv.slice(2);
const storage = SqliteStorage.open({ file });
// All workers start claiming at the same moment, so their claims really overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const rated: Record<string, string[]> = {};
const now = new Date('2030-01-01T00:00:00.000Z');
let active = raters.slice();
while (active.length > 0) {
  const still: string[] = [];
  for (const rater of active) {
    const claim = await storage.work.leaseNextRating(studyId, rater, now, () => 0.5);
    if (claim.kind === 'none') continue;
    const outcome = await storage.work.submitRating({
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
    if (outcome.kind === 'stored') (rated[rater] ??= []).push(claim.lease.itemId);
    still.push(rater);
  }
  active = still;
}
await storage.close();
process.stdout.write(`${JSON.stringify(rated)}\n`);
