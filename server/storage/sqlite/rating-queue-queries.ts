import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type { Claim, NewRating, NewRatingCandidate, RatingLease, SubmitOutcome } from '../study-work-storage.ts';
import { expiresAt } from '../rows/play-lease-rows.ts';
import {
  RATING_INSERT_COLUMNS,
  RATING_LEASE_COLUMNS,
  ratingValues,
  toRatingLease,
  type RatingLeaseRow,
} from '../rows/rating-rows.ts';
import { newItemId } from '../random-ids.ts';
import { raterOrder } from '../rater-order.ts';
import { cachedStatement } from './statement-cache.ts';

/** The rating queue on SQLite: candidates, claims and ratings. Callers wrap claims and submits in a transaction. */

export function registerRaterOrder(db: Database.Database): void {
  db.function('rater_order', { deterministic: true }, raterOrder);
}

export function addCandidates(
  db: Database.Database,
  studyId: string,
  candidates: NewRatingCandidate[],
  now: Date,
): { added: number; unchanged: number } {
  const known = cachedStatement(
    db,
    'SELECT 1 FROM rating_candidates WHERE study_id = ? AND source_episode_id = ?',
  ).pluck();
  const insert = cachedStatement(
    db,
    `INSERT INTO rating_candidates (item_id, study_id, problem_id, source_episode_id, source_participant_id,
    answer, transcript_json, is_gold, gold_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const result = { added: 0, unchanged: 0 };
  for (const c of candidates) {
    if (c.sourceEpisodeId !== null && known.get(studyId, c.sourceEpisodeId) !== undefined) {
      result.unchanged += 1;
      continue;
    }
    insert.run(
      newItemId(),
      studyId,
      c.problemId,
      c.sourceEpisodeId,
      c.sourceParticipantId,
      c.answer,
      c.transcript === null ? null : JSON.stringify(c.transcript),
      c.gold ? 1 : 0,
      c.gold ? JSON.stringify(c.gold) : null,
      now.toISOString(),
    );
    result.added += 1;
  }
  return result;
}

/** Like EXPIRE_PLAY_LEASES: reads only the lapsed leases, through rating_leases_expiry (migration 023). */
export const EXPIRE_RATING_LEASES = `UPDATE rating_leases SET status = 'expired', ended_at = expires_at
    WHERE study_id = ? AND status = 'leased' AND expires_at <= ?`;

export function expireRatingLeases(db: Database.Database, studyId: string, now: string): void {
  cachedStatement(db, EXPIRE_RATING_LEASES).run(studyId, now);
}

export function getRatingLease(db: Database.Database, leaseId: string): RatingLease | null {
  const row = cachedStatement(
    db,
    `SELECT ${RATING_LEASE_COLUMNS} FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id WHERE l.id = ?`,
  ).get(leaseId) as RatingLeaseRow | undefined;
  return row ? toRatingLease(row) : null;
}

export function findRatingLease(
  db: Database.Database,
  studyId: string,
  participantId: string,
  itemId: string,
): RatingLease | null {
  const row = cachedStatement(
    db,
    `SELECT ${RATING_LEASE_COLUMNS} FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id
    WHERE l.study_id = ? AND l.participant_id = ? AND c.item_id = ? ORDER BY l.leased_at DESC, l.rowid DESC LIMIT 1`,
  ).get(studyId, participantId, itemId) as RatingLeaseRow | undefined;
  return row ? toRatingLease(row) : null;
}

/** Judgments: scored ratings and "can't judge" answers alike count toward a rater's quota. */
export function countRatings(db: Database.Database, studyId: string, participantId: string): number {
  return cachedStatement(
    db,
    `SELECT (SELECT COUNT(*) FROM ratings WHERE study_id = @s AND participant_id = @p)
      + (SELECT COUNT(*) FROM rating_skips WHERE study_id = @s AND participant_id = @p)`,
  )
    .pluck()
    .get({ s: studyId, p: participantId }) as number;
}

/** Whether the rater has judged (rated or could not judge) this candidate. */
export function hasJudged(db: Database.Database, candidateId: number, participantId: string): boolean {
  return (
    cachedStatement(
      db,
      `SELECT 1 FROM ratings WHERE candidate_id = @c AND participant_id = @p
      UNION ALL SELECT 1 FROM rating_skips WHERE candidate_id = @c AND participant_id = @p`,
    ).get({ c: candidateId, p: participantId }) !== undefined
  );
}

// Candidates this rater may be given: not withdrawn, not from an episode they played, not already rated by them. A
// person has one participant id per study and role, so "they played it" also matches the actor's Prolific id to the
// rater's: that catches the actor of a study-A session who rates in study B.
const ELIGIBLE = `c.study_id = @study AND c.is_gold = @gold AND c.withdrawn_at IS NULL
  AND (c.source_participant_id IS NULL OR (c.source_participant_id <> @participant AND NOT EXISTS (
    SELECT 1 FROM participants sp JOIN participants rp ON rp.id = @participant
    WHERE sp.id = c.source_participant_id AND sp.prolific_pid IS NOT NULL AND sp.prolific_pid = rp.prolific_pid)))
  AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.candidate_id = c.id AND r.participant_id = @participant)
  AND NOT EXISTS (SELECT 1 FROM rating_skips s WHERE s.candidate_id = c.id AND s.participant_id = @participant)`;

function pickRegular(db: Database.Database, studyId: string, participantId: string, k: number): number | undefined {
  // Coverage = distinct raters who rated it or hold a live lease on it (one active lease per rater, one rating each).
  return cachedStatement(
    db,
    `
    SELECT id FROM (
      SELECT c.id, c.item_id,
        (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id)
        + (SELECT COUNT(*) FROM rating_leases l WHERE l.candidate_id = c.id AND l.status = 'leased') AS coverage
      FROM rating_candidates c WHERE ${ELIGIBLE}
    ) WHERE coverage < @k
    ORDER BY coverage, rater_order(@participant, item_id), id LIMIT 1`,
  )
    .pluck()
    .get({ study: studyId, participant: participantId, gold: 0, k }) as number | undefined;
}

function pickGold(db: Database.Database, studyId: string, participantId: string): number | undefined {
  // Gold items are outside k: any number of raters may get one, each at most once.
  return cachedStatement(
    db,
    `SELECT c.id FROM rating_candidates c WHERE ${ELIGIBLE} ORDER BY rater_order(@participant, c.item_id), c.id LIMIT 1`,
  )
    .pluck()
    .get({ study: studyId, participant: participantId, gold: 1 }) as number | undefined;
}

/**
 * How many items a claim could give the rater now besides the one in hand: regular answers under k (leases past
 * expiry do not count) and, when the study draws gold items, the gold items left for them.
 */
export function availableFor(
  db: Database.Database,
  studyId: string,
  participantId: string,
  now: string,
  { raterOverlap, goldRate }: LiveStudySettings,
): number {
  const params = { study: studyId, participant: participantId, now };
  const notHeld = `AND NOT EXISTS (SELECT 1 FROM rating_leases hl WHERE hl.candidate_id = c.id
    AND hl.participant_id = @participant AND hl.status = 'leased')`;
  const regular = cachedStatement(
    db,
    `SELECT COUNT(*) FROM rating_candidates c WHERE ${ELIGIBLE} ${notHeld}
      AND (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id)
        + (SELECT COUNT(*) FROM rating_leases l WHERE l.candidate_id = c.id AND l.status = 'leased' AND l.expires_at > @now)
        < @k`,
  )
    .pluck()
    .get({ ...params, gold: 0, k: raterOverlap }) as number;
  if (goldRate <= 0) return regular;
  const gold = cachedStatement(db, `SELECT COUNT(*) FROM rating_candidates c WHERE ${ELIGIBLE} ${notHeld}`)
    .pluck()
    .get({ ...params, gold: 1 }) as number;
  return regular + gold;
}

/** The rater's lease in hand (after expiry), if any. */
export function heldRating(db: Database.Database, studyId: string, participantId: string): RatingLease | null {
  const held = cachedStatement(
    db,
    `SELECT ${RATING_LEASE_COLUMNS} FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id
    WHERE l.study_id = ? AND l.participant_id = ? AND l.status = 'leased'`,
  ).get(studyId, participantId) as RatingLeaseRow | undefined;
  return held ? toRatingLease(held) : null;
}

/** A new lease. Must run inside an immediate transaction, with the study open, its leases expired and none held. */
export function claimRating(
  db: Database.Database,
  studyId: string,
  participantId: string,
  now: Date,
  settings: LiveStudySettings,
  rng: Rng,
): Claim<RatingLease> {
  if (countRatings(db, studyId, participantId) >= settings.quotas.ratingsPerRater)
    return { kind: 'none', reason: 'quota_reached' };

  const goldFirst = settings.goldRate > 0 && (settings.goldRate >= 1 || rng() < settings.goldRate);
  const gold = (): number | undefined => (settings.goldRate > 0 ? pickGold(db, studyId, participantId) : undefined);
  const regular = (): number | undefined => pickRegular(db, studyId, participantId, settings.raterOverlap);
  const candidate = goldFirst ? (gold() ?? regular()) : (regular() ?? gold());
  if (candidate === undefined) return { kind: 'none', reason: 'no_work' };

  const id = randomUUID();
  cachedStatement(
    db,
    `INSERT INTO rating_leases (id, candidate_id, study_id, participant_id, status, leased_at, expires_at)
    VALUES (?, ?, ?, ?, 'leased', ?, ?)`,
  ).run(id, candidate, studyId, participantId, now.toISOString(), expiresAt(now, settings));
  return { kind: 'leased', lease: getRatingLease(db, id) as RatingLease, resumed: false };
}

/** Must run inside an immediate transaction. */
export function storeRating(db: Database.Database, r: NewRating, settings: LiveStudySettings): SubmitOutcome {
  const candidate = cachedStatement(
    db,
    'SELECT id, is_gold FROM rating_candidates WHERE study_id = ? AND item_id = ?',
  ).get(r.studyId, r.itemId) as { id: number; is_gold: number } | undefined;
  if (!candidate) return { kind: 'not_leased' };
  if (hasJudged(db, candidate.id, r.participantId)) return { kind: 'already_rated' };
  const lease = usableLease(db, candidate, r.participantId, r.now.toISOString(), settings);
  if (!lease) return { kind: 'not_leased' };
  const now = r.now.toISOString();
  const key = { candidateId: candidate.id, studyId: r.studyId, participantId: r.participantId, leaseId: lease.id };
  cachedStatement(db, `INSERT INTO ratings (${RATING_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    ...ratingValues(key, r, r.secondsSpent, now),
  );
  cachedStatement(db, `UPDATE rating_leases SET status = 'completed', ended_at = ? WHERE id = ?`).run(now, lease.id);
  return { kind: 'stored', rated: countRatings(db, r.studyId, r.participantId) };
}

/**
 * The rater's lease a judgment may be stored against: their newest live or lapsed lease on the candidate, unless it
 * lapsed and the answer has meanwhile gone to k other raters.
 */
export function usableLease(
  db: Database.Database,
  candidate: { id: number; is_gold: number },
  participantId: string,
  now: string,
  settings: LiveStudySettings,
): { id: string } | null {
  const lease = cachedStatement(
    db,
    `SELECT id, status, expires_at FROM rating_leases WHERE candidate_id = ? AND participant_id = ?
    AND status IN ('leased', 'expired') ORDER BY leased_at DESC, rowid DESC LIMIT 1`,
  ).get(candidate.id, participantId) as { id: string; status: string; expires_at: string } | undefined;
  if (!lease) return null;
  const lapsed = lease.status === 'expired' || lease.expires_at <= now;
  if (lapsed && candidate.is_gold === 0) {
    // A late rating is welcome unless the answer has meanwhile gone to k other raters: k is a ceiling.
    const others = cachedStatement(
      db,
      `SELECT
        (SELECT COUNT(*) FROM ratings WHERE candidate_id = @c)
        + (SELECT COUNT(*) FROM rating_leases WHERE candidate_id = @c AND status = 'leased' AND expires_at > @now AND participant_id <> @p)`,
    )
      .pluck()
      .get({ c: candidate.id, now, p: participantId }) as number;
    if (others >= settings.raterOverlap) return null;
  }
  return { id: lease.id };
}
