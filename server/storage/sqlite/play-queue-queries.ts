import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { Claim, PlayLease } from '../study-work-storage.ts';
import { expiresAt, PLAY_LEASE_COLUMNS, toPlayLease, type PlayLeaseRow } from '../rows/play-lease-rows.ts';
import { cachedStatement } from './statement-cache.ts';

/** The play queue on SQLite: claims, renewals and ends of play leases. Callers wrap claims in a transaction. */

export function getPlayLease(db: Database.Database, leaseId: string): PlayLease | null {
  const row = cachedStatement(
    db,
    `SELECT ${PLAY_LEASE_COLUMNS} FROM play_leases l JOIN play_units u ON u.id = l.unit_id WHERE l.id = ?`,
  ).get(leaseId) as PlayLeaseRow | undefined;
  return row ? toPlayLease(row) : null;
}

/**
 * Every claim runs this first, so it must read only the lapsed leases: the partial index play_leases_expiry (migration
 * 023) holds the live leases by (study, expiry). Exported for the test that checks the plan uses it.
 */
export const EXPIRE_PLAY_LEASES = `UPDATE play_leases SET status = 'expired', ended_at = expires_at
    WHERE study_id = ? AND status = 'leased' AND expires_at <= ?`;

/** Turns the study's lapsed leases into 'expired', which frees their slots. */
export function expirePlayLeases(db: Database.Database, studyId: string, now: string): void {
  cachedStatement(db, EXPIRE_PLAY_LEASES).run(studyId, now);
}

/** The actor's assignment in hand (after expiry), if any. */
export function heldPlay(db: Database.Database, studyId: string, participantId: string): PlayLease | null {
  const held = cachedStatement(
    db,
    `SELECT ${PLAY_LEASE_COLUMNS} FROM play_leases l JOIN play_units u ON u.id = l.unit_id
    WHERE l.study_id = ? AND l.participant_id = ? AND l.status = 'leased'`,
  ).get(studyId, participantId) as PlayLeaseRow | undefined;
  return held ? toPlayLease(held) : null;
}

/** The plays an actor holds or has completed: what counts toward their `playsPerActor` quota. */
export function playsTaken(db: Database.Database, studyId: string, participantId: string): number {
  return cachedStatement(
    db,
    `SELECT COUNT(*) FROM play_leases WHERE study_id = ? AND participant_id = ? AND status IN ('leased', 'completed')`,
  )
    .pluck()
    .get(studyId, participantId) as number;
}

/** A new lease. Must run inside an immediate transaction, with the study open, its leases expired and none held. */
export function claimPlay(
  db: Database.Database,
  studyId: string,
  participantId: string,
  now: Date,
  settings: LiveStudySettings,
): Claim<PlayLease> {
  const plays = playsTaken(db, studyId, participantId);
  if (plays >= settings.quotas.playsPerActor) return { kind: 'none', reason: 'quota_reached' };

  // An actor never gets a record they were already given (under any model): they would know the persona's answers.
  const unit = cachedStatement(
    db,
    `
    SELECT id FROM (
      SELECT u.id, u.position, u.quota, u.problem_id,
        (SELECT COUNT(*) FROM play_leases l WHERE l.unit_id = u.id AND l.status IN ('leased', 'completed')) AS taken
      FROM play_units u WHERE u.study_id = @study AND u.active = 1
    ) WHERE taken < quota
      AND problem_id NOT IN (SELECT u2.problem_id FROM play_leases l2 JOIN play_units u2 ON u2.id = l2.unit_id
                             WHERE l2.study_id = @study AND l2.participant_id = @participant)
    ORDER BY taken, position, id LIMIT 1`,
  )
    .pluck()
    .get({ study: studyId, participant: participantId }) as number | undefined;
  if (unit === undefined) return { kind: 'none', reason: 'no_work' };

  const id = randomUUID();
  cachedStatement(
    db,
    `INSERT INTO play_leases (id, unit_id, study_id, participant_id, status, leased_at, expires_at)
    VALUES (?, ?, ?, ?, 'leased', ?, ?)`,
  ).run(id, unit, studyId, participantId, now.toISOString(), expiresAt(now, settings));
  return { kind: 'leased', lease: getPlayLease(db, id) as PlayLease, resumed: false };
}

export function endPlayLease(
  db: Database.Database,
  leaseId: string,
  status: 'completed' | 'released',
  now: Date,
): PlayLease | null {
  const lease = getPlayLease(db, leaseId);
  if (!lease) return null;
  // A released lease stays released; an expired one may still complete, since the session did finish.
  const from = status === 'completed' ? ['leased', 'expired'] : ['leased'];
  if (from.includes(lease.status)) {
    cachedStatement(db, 'UPDATE play_leases SET status = ?, ended_at = ? WHERE id = ?').run(
      status,
      now.toISOString(),
      leaseId,
    );
  }
  return getPlayLease(db, leaseId);
}
