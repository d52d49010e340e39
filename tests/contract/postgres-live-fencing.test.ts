import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { messageEvent } from '../support/episode-events.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';

/**
 * The fencing check races a takeover on PostgreSQL (the engine-neutral contract is live-fencing.contract.ts): node B's
 * claim of the episode is held open in a transaction of its own, as a takeover under way, while node A appends. A's
 * append must wait for it and then see the new owner, never store beside it; and a takeover that comes while A's
 * append holds the owner row waits for that append, so the new owner resumes from events that include it.
 */
describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL fencing against a takeover under way'), () => {
  const postgres = usePostgres();

  async function setUp(): Promise<{ storage: PostgresStorage; url: string }> {
    const { url } = await postgres.migratedDatabase();
    const storage = await PostgresStorage.open({ url, maxConnections: 4 });
    const study = await storage.createStudy({ name: 'Fencing race' });
    const { participant } = await storage.people.findOrCreateParticipant({
      studyId: study.id,
      role: 'actor',
      prolific: {},
    });
    await storage.live.begin({
      summary: runningEpisodeSummary('live-1', { userSeat: 'person' }),
      studyId: study.id,
      participantId: participant.id,
      assignmentId: null,
      spec: {},
    });
    expect(await storage.nodes.claimEpisode('live-1', 'node-a', new Date(), 60_000)).toEqual({ claimed: true });
    return { storage, url };
  }

  /** Whether `promise` is still pending after `ms` (it waits on a lock). */
  async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
    const timeout = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms));
    return (await Promise.race([promise.then(() => 'settled'), timeout])) === 'pending';
  }

  it("an append during another node's takeover waits for it and is refused; nothing of it is stored", async () => {
    const { storage, url } = await setUp();
    const takeover = new pg.Client({ connectionString: url });
    await takeover.connect();
    try {
      await takeover.query('BEGIN');
      await takeover.query("UPDATE live_episode_owners SET node = 'node-b' WHERE episode_id = 'live-1'");
      const append = storage.live.appendOwned('live-1', [messageEvent(0)], 'node-a');
      expect(await pendingAfter(append, 300)).toBe(true);
      await takeover.query('COMMIT');
      expect(await append).toEqual({ stored: false, reason: 'not_owner' });
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual([]);
    } finally {
      await takeover.end();
      await storage.close();
    }
  });

  it("a takeover waits for an owner's append under way, so it reads the events that append stored", async () => {
    const { storage, url } = await setUp();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      // A's append holds the owner row FOR SHARE until it commits (as its own statement's lock does): here the lock is
      // taken by hand in an open transaction so the takeover can be seen waiting for it.
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM live_episode_owners WHERE episode_id = 'live-1' AND node = 'node-a' FOR SHARE");
      const claim = storage.nodes.claimEpisode('live-1', 'node-b', new Date(), 60_000, true);
      expect(await pendingAfter(claim, 300)).toBe(true);
      await holder.query('COMMIT');
      expect(await claim).toEqual({ claimed: true });
      expect(await storage.live.appendOwned('live-1', [messageEvent(0)], 'node-a')).toEqual({
        stored: false,
        reason: 'not_owner',
      });
    } finally {
      await holder.end();
      await storage.close();
    }
  });
});
