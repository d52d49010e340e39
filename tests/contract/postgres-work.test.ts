import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { raceForRatings, raceStudy } from '../support/claim-race.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { T0, settings, studyWithRecords } from '../support/study-work-fixtures.ts';
import { studyWorkContract } from './study-work-storage.contract.ts';

describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL study work'), () => {
  const postgres = usePostgres();
  const openOn = async (url: string): Promise<PostgresStorage> => PostgresStorage.open({ url, maxConnections: 4 });

  // A fresh migrated database per test; openAnother is a second pool on it, as another process would have.
  studyWorkContract('postgres', async () => {
    const { url } = await postgres.migratedDatabase();
    return { storage: await openOn(url), openAnother: async () => openOn(url) };
  });

  // Play leases under the same lock: 30 actors each claiming twice at once, on three pools, for 10 slots.
  it('30 actors claiming plays at once on three pools fill each unit to its quota, one lease per actor', async () => {
    const { url } = await postgres.migratedDatabase();
    const storage = await openOn(url);
    const pools = [storage, await openOn(url), await openOn(url)];
    const { studyId, problemIds } = await studyWithRecords(storage, 'Play race', 5);
    const units = problemIds.map((problemId) => ({ problemId, model: 'model-a' }));
    await storage.work.saveSettings(studyId, settings({ playsPerRecord: 2 }), T0, units);
    const actors = Array.from({ length: 30 }, (_, i) => `actor-${i}`);
    const claims = await Promise.all(
      actors.flatMap((actor, i) =>
        [0, 1].map(async (n) => ({
          actor,
          claim: await (pools[(i + n) % pools.length] ?? storage).work.leaseNextPlay(studyId, actor, T0),
        })),
      ),
    );
    const leaseOf = new Map<string, string>();
    for (const { actor, claim } of claims) {
      if (claim.kind !== 'leased') {
        expect(claim.reason).toBe('no_work');
        continue;
      }
      // An actor's two claims give one lease (the second finds it in hand).
      expect(leaseOf.get(actor) ?? claim.lease.id).toBe(claim.lease.id);
      leaseOf.set(actor, claim.lease.id);
    }
    const progress = await storage.work.progress(studyId, T0);
    for (const p of pools) await p.close();
    expect(leaseOf.size).toBe(10);
    expect(progress.plays.map((p) => p.active)).toEqual([2, 2, 2, 2, 2]);
  });

  // Ending a participant twice at once: with no row yet there is nothing to lock, so the first insert must not be
  // overwritten by a lower outcome that looked at the same empty table.
  it('concurrent ends of a participant on three pools keep the highest outcome', async () => {
    const { url } = await postgres.migratedDatabase();
    const storage = await openOn(url);
    const pools = [storage, await openOn(url), await openOn(url)];
    const { studyId } = await studyWithRecords(storage, 'Ends', 1);
    const people = Array.from({ length: 20 }, (_, i) => `actor-${i}`);
    const kinds = ['timed_out', 'completed', 'no_work', 'timed_out'] as const;
    await Promise.all(
      people.flatMap((participantId, i) =>
        kinds.map((outcome, n) =>
          (pools[(i + n) % pools.length] ?? storage).work.recordOutcome({
            studyId,
            participantId,
            outcome,
            completionCode: outcome,
            now: T0,
          }),
        ),
      ),
    );
    const stored = await Promise.all(people.map(async (p) => (await storage.work.getOutcome(p))?.outcome));
    for (const p of pools) await p.close();
    expect(stored).toEqual(people.map(() => 'completed'));
  });

  // Four processes of three raters each, every rater claiming on its own connection: the study's row lock must keep
  // every answer at exactly k distinct raters, with no rating refused or stored twice.
  it('four processes racing for ratings on one database never exceed k per answer', async () => {
    const { url } = await postgres.migratedDatabase();
    const storage = await openOn(url);
    const studyId = await raceStudy(storage);

    const byItem = await raceForRatings('postgres', url, studyId);

    const stored = await storage.work.listRatings(studyId);
    await storage.close();
    expect(stored.length).toBe(300);
    expect(byItem.size).toBe(100);
    for (const raters of byItem.values()) expect(new Set(raters).size).toBe(3);
  }, 120_000);
});
