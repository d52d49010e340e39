import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import type { Claim, PlayLease } from '../../server/storage/study-work-storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { T0, settings, studyWithRecords } from '../support/study-work-fixtures.ts';

/**
 * The study mutex's in-process queue (server/storage/postgres/study-lock-queue.ts): while another process holds the
 * study's `live_study_settings` row lock, a node's concurrent claims send one transaction to that lock and wait
 * without a connection, so the rest of the node's pool stays free for other writes; the claims still respect every
 * quota once the lock is released.
 */
describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL study lock queue'), () => {
  const postgres = usePostgres();

  /** Backends of this database waiting on a heavyweight lock, and this storage's connections inside a transaction. */
  async function sample(observer: pg.Client): Promise<{ lockWaits: number; inTransaction: number }> {
    const { rows } = await observer.query<{ lock_waits: number; in_transaction: number }>(
      `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock_waits,
        count(*) FILTER (WHERE state IN ('active', 'idle in transaction') AND application_name = 'claims')::int
          AS in_transaction
      FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    const row = rows[0];
    return { lockWaits: row?.lock_waits ?? -1, inTransaction: row?.in_transaction ?? -1 };
  }

  it('12 claims on one node wait on the study lock with one connection; the pool serves other reads meanwhile', async () => {
    const { url } = await postgres.migratedDatabase();
    const claimsUrl = new URL(url);
    claimsUrl.searchParams.set('application_name', 'claims');
    const storage = await PostgresStorage.open({ url: claimsUrl.toString(), maxConnections: 4 });
    const holder = new pg.Client({ connectionString: url });
    const observer = new pg.Client({ connectionString: url });
    try {
      await holder.connect();
      await observer.connect();
      const { studyId, problemIds } = await studyWithRecords(storage, 'Lock queue', 3);
      const units = problemIds.map((problemId) => ({ problemId, model: 'model-a' }));
      await storage.work.saveSettings(studyId, settings({ playsPerRecord: 2 }), T0, units);

      // Another node's claim in progress: it holds the study's row lock until we commit.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM live_study_settings WHERE study_id = $1 FOR UPDATE', [studyId]);

      const actors = Array.from({ length: 12 }, (_, i) => `actor-${i}`);
      const claims: Promise<Claim<PlayLease>>[] = actors.map(async (actor) =>
        storage.work.leaseNextPlay(studyId, actor, T0),
      );

      // Wait until the first claim is blocked on the lock (bounded, so a broken queue fails rather than hangs).
      let seen = await sample(observer);
      for (let i = 0; i < 200 && seen.lockWaits < 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        seen = await sample(observer);
      }
      expect(seen.lockWaits).toBe(1);

      // Without the queue all four connections would be waiting on the lock, and this read would wait with them.
      const read = await Promise.race([
        storage.work.getSettings(studyId).then((s) => s?.status ?? 'missing'),
        new Promise<string>((resolve) => setTimeout(() => resolve('pool starved'), 10_000)),
      ]);
      expect(read).toBe('open');
      const during = [];
      for (let i = 0; i < 5; i++) during.push(await sample(observer));
      expect(Math.max(...during.map((s) => s.lockWaits))).toBe(1);
      expect(Math.max(...during.map((s) => s.inTransaction))).toBe(1);

      await holder.query('COMMIT');
      const outcomes = await Promise.all(claims);
      const leased = outcomes.filter((c) => c.kind === 'leased');
      expect(leased).toHaveLength(6);
      expect(outcomes.filter((c) => c.kind === 'none' && c.reason === 'no_work')).toHaveLength(6);
      expect(new Set(leased.map((c) => c.lease.participantId)).size).toBe(6);
      const progress = await storage.work.progress(studyId, T0);
      expect(progress.plays.map((p) => p.active)).toEqual([2, 2, 2]);
    } finally {
      await holder.end().catch(() => undefined);
      await observer.end().catch(() => undefined);
      await storage.close();
    }
  });

  it('a claim over the actor quota and a claim with no unit left are told apart in one statement', async () => {
    const { url } = await postgres.migratedDatabase();
    const storage = await PostgresStorage.open({ url, maxConnections: 4 });
    try {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Quota', 2);
      const units = problemIds.map((problemId) => ({ problemId, model: 'model-a' }));
      await storage.work.saveSettings(
        studyId,
        settings({ playsPerRecord: 1, quotas: { playsPerActor: 1 } }),
        T0,
        units,
      );
      const first = await storage.work.leaseNextPlay(studyId, 'a', T0);
      expect(first.kind).toBe('leased');
      if (first.kind !== 'leased') return;
      expect(first.lease).toMatchObject({ studyId, participantId: 'a', status: 'leased', model: 'model-a' });
      expect(problemIds).toContain(first.lease.problemId);
      await storage.work.endPlayLease(first.lease.id, 'completed', T0);
      expect(await storage.work.leaseNextPlay(studyId, 'a', T0)).toEqual({ kind: 'none', reason: 'quota_reached' });
      expect((await storage.work.leaseNextPlay(studyId, 'b', T0)).kind).toBe('leased');
      expect(await storage.work.leaseNextPlay(studyId, 'c', T0)).toEqual({ kind: 'none', reason: 'no_work' });
    } finally {
      await storage.close();
    }
  });
});
