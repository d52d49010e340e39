import { randomUUID } from 'node:crypto';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { Claim, PlayLease } from '../study-work-storage.ts';
import { expiresAt, PLAY_LEASE_COLUMNS, toPlayLease, type PlayLeaseRow } from '../rows/play-lease-rows.ts';
import type { Queryable } from './pg-database.ts';
import { countOf, firstRow } from './postgres-work-sql.ts';

/**
 * The play queue on PostgreSQL (mirrors sqlite/play-queue-queries.ts): claims, renewals and ends of play leases.
 * Claims run inside the caller's transaction, which holds the study's settings row lock: each is one statement, so
 * the lock is held for few round trips.
 */

export async function getPlayLease(c: Queryable, leaseId: string): Promise<PlayLease | null> {
  const row = await firstRow<PlayLeaseRow>(
    c,
    `SELECT ${PLAY_LEASE_COLUMNS} FROM play_leases l JOIN play_units u ON u.id = l.unit_id WHERE l.id = $1`,
    [leaseId],
  );
  return row ? toPlayLease(row) : null;
}

/**
 * $1 study, $2 actor, $3 now. The UPDATE reads only the lapsed leases, through play_leases_expiry (migration 023, in
 * the "C" collation this comparison uses). Exported for the test that checks the plan uses it.
 */
export const EXPIRE_AND_HELD_PLAY = `WITH expired AS (
      UPDATE play_leases SET status = 'expired', ended_at = expires_at
      WHERE study_id = $1 AND status = 'leased' AND expires_at COLLATE "C" <= $3 RETURNING id)
    SELECT ${PLAY_LEASE_COLUMNS} FROM play_leases l JOIN play_units u ON u.id = l.unit_id
    WHERE l.study_id = $1 AND l.participant_id = $2 AND l.status = 'leased' AND l.id NOT IN (SELECT id FROM expired)`;

/**
 * Turns the study's lapsed leases into 'expired' (which frees their slots) and returns the actor's lease still in hand,
 * if any: one statement, so one round trip while the study's lock is held. The SELECT sees the rows as they were
 * before the UPDATE (one snapshot per statement), hence the `NOT IN expired`. Times are ISO text: byte order is time
 * order.
 */
export async function expireAndHeldPlay(
  c: Queryable,
  studyId: string,
  participantId: string,
  now: string,
): Promise<PlayLease | null> {
  const row = await firstRow<PlayLeaseRow>(c, EXPIRE_AND_HELD_PLAY, [studyId, participantId, now]);
  return row ? toPlayLease(row) : null;
}

/** The plays an actor holds or has completed: what counts toward their `playsPerActor` quota. */
export async function playsTaken(c: Queryable, studyId: string, participantId: string): Promise<number> {
  return countOf(
    c,
    `SELECT COUNT(*) AS n FROM play_leases
    WHERE study_id = $1 AND participant_id = $2 AND status IN ('leased', 'completed')`,
    [studyId, participantId],
  );
}

/**
 * A new lease. Runs under the study's lock, with the study open, its leases expired and none held. One statement (the
 * actor's quota count, the unit's choice, the insert and the lease's row) instead of four, since every round trip
 * here is time the study's lock is held: `plays` is the count before the insert, which happens only under the quota.
 */
export async function claimPlay(
  c: Queryable,
  studyId: string,
  participantId: string,
  now: Date,
  settings: LiveStudySettings,
): Promise<Claim<PlayLease>> {
  // An actor never gets a record they were already given (under any model): they would know the persona's answers.
  const row = await firstRow<{ plays: number } & Partial<PlayLeaseRow>>(
    c,
    `
    WITH taken AS (
      SELECT COUNT(*) AS n FROM play_leases
      WHERE study_id = $1 AND participant_id = $2 AND status IN ('leased', 'completed')
    ), unit AS (
      SELECT id FROM (
        SELECT u.id, u.position, u.quota, u.problem_id,
          (SELECT COUNT(*) FROM play_leases l WHERE l.unit_id = u.id AND l.status IN ('leased', 'completed')) AS taken
        FROM play_units u WHERE u.study_id = $1 AND u.active = 1
      ) t WHERE taken < quota
        AND problem_id NOT IN (SELECT u2.problem_id FROM play_leases l2 JOIN play_units u2 ON u2.id = l2.unit_id
                               WHERE l2.study_id = $1 AND l2.participant_id = $2)
      ORDER BY taken, position, id LIMIT 1
    ), inserted AS (
      INSERT INTO play_leases (id, unit_id, study_id, participant_id, status, leased_at, expires_at)
      SELECT $4, unit.id, $1, $2, 'leased', $5, $6 FROM unit, taken WHERE taken.n < $3
      RETURNING *
    )
    SELECT taken.n AS plays, ${PLAY_LEASE_COLUMNS}
    FROM taken LEFT JOIN inserted l ON true LEFT JOIN play_units u ON u.id = l.unit_id`,
    [studyId, participantId, settings.quotas.playsPerActor, randomUUID(), now.toISOString(), expiresAt(now, settings)],
  );
  if (row === undefined || row.plays >= settings.quotas.playsPerActor) return { kind: 'none', reason: 'quota_reached' };
  if (row.id === undefined || row.id === null) return { kind: 'none', reason: 'no_work' };
  return { kind: 'leased', lease: toPlayLease(row as PlayLeaseRow), resumed: false };
}

/** Moves a lease still 'leased' to `expires`; the status test is in the UPDATE, so a concurrent end wins cleanly. */
export async function extendPlayLease(c: Queryable, leaseId: string, expires: string): Promise<void> {
  await c.query(`UPDATE play_leases SET expires_at = $1 WHERE id = $2 AND status = 'leased'`, [expires, leaseId]);
}

export async function endPlayLease(
  c: Queryable,
  leaseId: string,
  status: 'completed' | 'released',
  now: Date,
): Promise<PlayLease | null> {
  // A released lease stays released; an expired one may still complete, since the session did finish. One UPDATE
  // with the allowed statuses in its WHERE: PostgreSQL re-checks them on the row it locks, so two ends cannot both win.
  const from = status === 'completed' ? ['leased', 'expired'] : ['leased'];
  await c.query('UPDATE play_leases SET status = $1, ended_at = $2 WHERE id = $3 AND status = ANY($4::text[])', [
    status,
    now.toISOString(),
    leaseId,
    from,
  ]);
  return getPlayLease(c, leaseId);
}
