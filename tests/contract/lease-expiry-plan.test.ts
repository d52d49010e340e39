import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { EXPIRE_AND_HELD_PLAY } from '../../server/storage/postgres/postgres-work-play.ts';
import { EXPIRE_AND_HELD_RATING } from '../../server/storage/postgres/postgres-work-rating.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { EXPIRE_PLAY_LEASES } from '../../server/storage/sqlite/play-queue-queries.ts';
import { EXPIRE_RATING_LEASES } from '../../server/storage/sqlite/rating-queue-queries.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { goldCandidate, settings, studyWithRecords, T0 } from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Every play or rating claim first expires the study's lapsed leases. Before migration 023 that UPDATE could only
 * find the study's live leases through the one-active-lease index and read every one of them to compare its expiry
 * (a thousand rows per claim with a thousand people playing); these tests check, on a study holding 2,000 leases of
 * each kind, that both engines plan it through the (study, expiry) index of live leases instead.
 */

const LEASES = 2000;

/** A study with one play unit and one gold rating item, the ids to hang leases on. */
async function studyToLeaseFrom(storage: Storage): Promise<{ studyId: string }> {
  const { studyId, problemIds } = await studyWithRecords(storage, 'Expiry plan', 1);
  const problemId = problemIds[0] ?? '';
  await storage.work.saveSettings(studyId, settings({ playsPerRecord: 100 }), T0, [{ problemId, model: 'model-a' }]);
  await storage.work.addRatingCandidates(studyId, [goldCandidate(problemId)], T0);
  return { studyId };
}

/** Half the leases live (expiring over the next days), half completed: what a busy study holds. */
function leaseRows(i: number): { status: string; leasedAt: string; expiresAt: string } {
  const leasedAt = new Date(T0.getTime() + i * 60_000).toISOString();
  const expiresAt = new Date(T0.getTime() + (i + 60) * 60_000).toISOString();
  return { status: i % 2 === 0 ? 'leased' : 'completed', leasedAt, expiresAt };
}

describe('the lease expiry on SQLite', () => {
  const dir = tempDir();

  it('reads the lapsed leases through the expiry indexes, not every live lease of the study', async () => {
    const file = join(dir, 'expiry.sqlite');
    const storage = SqliteStorage.open({ file });
    const { studyId } = await studyToLeaseFrom(storage);
    await storage.close();
    const db = new Database(file);
    try {
      const unit = db.prepare('SELECT id FROM play_units WHERE study_id = ?').pluck().get(studyId) as number;
      const candidate = db.prepare('SELECT id FROM rating_candidates WHERE study_id = ?').pluck().get(studyId);
      const play = db.prepare(`INSERT INTO play_leases (id, unit_id, study_id, participant_id, status, leased_at,
        expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      const rating = db.prepare(`INSERT INTO rating_leases (id, candidate_id, study_id, participant_id, status,
        leased_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      db.transaction(() => {
        for (let i = 0; i < LEASES; i++) {
          const { status, leasedAt, expiresAt } = leaseRows(i);
          play.run(`p-${i}`, unit, studyId, `actor-${i}`, status, leasedAt, expiresAt);
          rating.run(`r-${i}`, candidate, studyId, `rater-${i}`, status, leasedAt, expiresAt);
        }
      })();
      const plan = (sql: string): string =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(studyId, T0.toISOString()) as { detail: string }[])
          .map((row) => row.detail)
          .join('; ');
      expect(plan(EXPIRE_PLAY_LEASES)).toBe(
        'SEARCH play_leases USING INDEX play_leases_expiry (study_id=? AND expires_at<?)',
      );
      expect(plan(EXPIRE_RATING_LEASES)).toBe(
        'SEARCH rating_leases USING INDEX rating_leases_expiry (study_id=? AND expires_at<?)',
      );
      // Through the index they still expire exactly the live leases that have lapsed: at T0 + 2 h, the live ones
      // (even i) that expire at T0 + (i + 60) min <= T0 + 120 min, i = 0, 2, …, 60.
      const later = new Date(T0.getTime() + 120 * 60_000).toISOString();
      expect(db.prepare(EXPIRE_PLAY_LEASES).run(studyId, later).changes).toBe(31);
      expect(db.prepare(EXPIRE_RATING_LEASES).run(studyId, later).changes).toBe(31);
      const left = "SELECT COUNT(*) FROM play_leases WHERE status = 'leased' AND expires_at <= ?";
      expect(db.prepare(left).pluck().get(later)).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!postgresInstalled)(needsPostgres('the lease expiry on PostgreSQL'), () => {
  const postgres = usePostgres();

  it('reads the lapsed leases through the expiry indexes, in the collation the comparison uses', async () => {
    const { url } = await postgres.migratedDatabase();
    const storage = await PostgresStorage.open({ url, maxConnections: 2 });
    const { studyId } = await studyToLeaseFrom(storage);
    await storage.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const ids = await client.query<{ unit: number; candidate: number }>(
        `SELECT (SELECT id FROM play_units WHERE study_id = $1) AS unit,
          (SELECT id FROM rating_candidates WHERE study_id = $1) AS candidate`,
        [studyId],
      );
      const { unit, candidate } = ids.rows[0] ?? { unit: 0, candidate: 0 };
      const rows = Array.from({ length: LEASES }, (_, i) => leaseRows(i));
      const column = <K extends keyof ReturnType<typeof leaseRows>>(key: K) => rows.map((r) => r[key]);
      const insert = (table: string, key: string, ref: number, who: string) =>
        client.query(
          `INSERT INTO ${table} (id, ${key}, study_id, participant_id, status, leased_at, expires_at)
          SELECT '${who}-' || n, $1, $2, '${who}-' || n, s, l, e
          FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(s, l, e, n)`,
          [ref, studyId, column('status'), column('leasedAt'), column('expiresAt')],
        );
      await insert('play_leases', 'unit_id', unit, 'actor');
      await insert('rating_leases', 'candidate_id', candidate, 'rater');
      await client.query('ANALYZE play_leases; ANALYZE rating_leases');
      const plan = async (sql: string): Promise<string> => {
        const explained = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [
          studyId,
          'actor-1',
          T0.toISOString(),
        ]);
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      };
      const play = await plan(EXPIRE_AND_HELD_PLAY);
      expect(play).toMatch(/Update on play_leases[\s\S]*Index Scan using play_leases_expiry on play_leases/);
      const rating = await plan(EXPIRE_AND_HELD_RATING);
      expect(rating).toMatch(/Update on rating_leases[\s\S]*Index Scan using rating_leases_expiry on rating_leases/);
    } finally {
      await client.end();
    }
  });
});
