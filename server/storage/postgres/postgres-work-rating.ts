import { randomUUID } from 'node:crypto';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type { Claim, NewRatingCandidate, RatingLease } from '../study-work-storage.ts';
import type { Queryable } from './pg-database.ts';
import { expiresAt } from '../rows/play-lease-rows.ts';
import { RATING_LEASE_COLUMNS, toRatingLease, type RatingLeaseRow } from '../rows/rating-rows.ts';
import { newItemId } from '../random-ids.ts';
import { countOf, firstForRater, firstRow, rowsOf } from './postgres-work-sql.ts';

/**
 * The rating queue on PostgreSQL (mirrors sqlite/rating-queue-queries.ts): candidates and claims (storing judgments:
 * postgres-work-submit.ts). Claims run inside the caller's transaction, which holds the study's settings row lock.
 */

export async function addCandidates(
  c: Queryable,
  studyId: string,
  candidates: NewRatingCandidate[],
  now: Date,
): Promise<{ added: number; unchanged: number }> {
  // ON CONFLICT on the (study, episode) index rather than a look-up first: two concurrent adds of one episode then
  // store it once, and the loser counts it as unchanged.
  const insert = `INSERT INTO rating_candidates (item_id, study_id, problem_id, source_episode_id, source_participant_id,
    answer, transcript_json, is_gold, gold_json, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (study_id, source_episode_id) WHERE source_episode_id IS NOT NULL DO NOTHING`;
  const result = { added: 0, unchanged: 0 };
  for (const x of candidates) {
    const stored = await c.query(insert, [
      newItemId(),
      studyId,
      x.problemId,
      x.sourceEpisodeId,
      x.sourceParticipantId,
      x.answer,
      x.transcript === null ? null : JSON.stringify(x.transcript),
      x.gold ? 1 : 0,
      x.gold ? JSON.stringify(x.gold) : null,
      now.toISOString(),
    ]);
    if (stored.rowCount === 1) result.added += 1;
    else result.unchanged += 1;
  }
  return result;
}

export async function findRatingLease(
  c: Queryable,
  studyId: string,
  participantId: string,
  itemId: string,
): Promise<RatingLease | null> {
  const row = await firstRow<RatingLeaseRow>(
    c,
    `SELECT ${RATING_LEASE_COLUMNS} FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id
    WHERE l.study_id = $1 AND l.participant_id = $2 AND c.item_id = $3
    ORDER BY l.leased_at COLLATE "C" DESC, l.rowid DESC LIMIT 1`,
    [studyId, participantId, itemId],
  );
  return row ? toRatingLease(row) : null;
}

/** Judgments: scored ratings and "can't judge" answers alike count toward a rater's quota. */
export async function countRatings(c: Queryable, studyId: string, participantId: string): Promise<number> {
  return countOf(
    c,
    `SELECT (SELECT COUNT(*) FROM ratings WHERE study_id = $1 AND participant_id = $2)
      + (SELECT COUNT(*) FROM rating_skips WHERE study_id = $1 AND participant_id = $2) AS n`,
    [studyId, participantId],
  );
}

// Candidates this rater may be given ($1 study, $2 rater, $3 is_gold): not withdrawn, not from an episode they played
// (also matched by Prolific id across studies), not already judged by them. As sqlite/rating-queue-queries.ts.
const ELIGIBLE = `c.study_id = $1 AND c.is_gold = $3::integer AND c.withdrawn_at IS NULL
  AND (c.source_participant_id IS NULL OR (c.source_participant_id <> $2 AND NOT EXISTS (
    SELECT 1 FROM participants sp JOIN participants rp ON rp.id = $2
    WHERE sp.id = c.source_participant_id AND sp.prolific_pid IS NOT NULL AND sp.prolific_pid = rp.prolific_pid)))
  AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.candidate_id = c.id AND r.participant_id = $2)
  AND NOT EXISTS (SELECT 1 FROM rating_skips s WHERE s.candidate_id = c.id AND s.participant_id = $2)`;

interface Pickable {
  id: number;
  item_id: string;
}

async function pickRegular(
  c: Queryable,
  studyId: string,
  participantId: string,
  k: number,
): Promise<number | undefined> {
  // Coverage = distinct raters who rated it or hold a live lease on it. Only the least-covered candidates come back;
  // the tie among them is broken here by the rater's own order (SQLite does it with a registered SQL function).
  const rows = await rowsOf<Pickable>(
    c,
    `
    SELECT id, item_id FROM (
      SELECT id, item_id, coverage, MIN(coverage) OVER () AS least FROM (
        SELECT c.id, c.item_id,
          (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id)
          + (SELECT COUNT(*) FROM rating_leases l WHERE l.candidate_id = c.id AND l.status = 'leased') AS coverage
        FROM rating_candidates c WHERE ${ELIGIBLE}
      ) t WHERE coverage < $4
    ) m WHERE coverage = least`,
    [studyId, participantId, 0, k],
  );
  return firstForRater(rows, participantId)?.id;
}

async function pickGold(c: Queryable, studyId: string, participantId: string): Promise<number | undefined> {
  // Gold items are outside k: any number of raters may get one, each at most once.
  const rows = await rowsOf<Pickable>(c, `SELECT c.id, c.item_id FROM rating_candidates c WHERE ${ELIGIBLE}`, [
    studyId,
    participantId,
    1,
  ]);
  return firstForRater(rows, participantId)?.id;
}

/** How many items a claim could give the rater now besides the one in hand (see sqlite/rating-queue-queries.ts). */
export async function availableFor(
  c: Queryable,
  studyId: string,
  participantId: string,
  now: string,
  { raterOverlap, goldRate }: LiveStudySettings,
): Promise<number> {
  const notHeld = `AND NOT EXISTS (SELECT 1 FROM rating_leases hl WHERE hl.candidate_id = c.id
    AND hl.participant_id = $2 AND hl.status = 'leased')`;
  const regular = await countOf(
    c,
    `SELECT COUNT(*) AS n FROM rating_candidates c WHERE ${ELIGIBLE} ${notHeld}
      AND (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id)
        + (SELECT COUNT(*) FROM rating_leases l WHERE l.candidate_id = c.id AND l.status = 'leased'
           AND l.expires_at COLLATE "C" > $4)
        < $5`,
    [studyId, participantId, 0, now, raterOverlap],
  );
  if (goldRate <= 0) return regular;
  const gold = await countOf(c, `SELECT COUNT(*) AS n FROM rating_candidates c WHERE ${ELIGIBLE} ${notHeld}`, [
    studyId,
    participantId,
    1,
  ]);
  return regular + gold;
}

/** $1 study, $2 rater, $3 now; like EXPIRE_AND_HELD_PLAY, the UPDATE reads through rating_leases_expiry (023). */
export const EXPIRE_AND_HELD_RATING = `WITH expired AS (
      UPDATE rating_leases SET status = 'expired', ended_at = expires_at
      WHERE study_id = $1 AND status = 'leased' AND expires_at COLLATE "C" <= $3 RETURNING id)
    SELECT ${RATING_LEASE_COLUMNS} FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id
    WHERE l.study_id = $1 AND l.participant_id = $2 AND l.status = 'leased' AND l.id NOT IN (SELECT id FROM expired)`;

/**
 * Turns the study's lapsed leases into 'expired' (which frees their slots) and returns the rater's lease still in
 * hand, if any, in one statement (one round trip less while the study's lock is held). The SELECT sees the table as
 * it was before the UPDATE beside it, hence the lapsed leases are left out of it by id.
 */
export async function expireAndHeldRating(
  c: Queryable,
  studyId: string,
  participantId: string,
  now: string,
): Promise<RatingLease | null> {
  const row = await firstRow<RatingLeaseRow>(c, EXPIRE_AND_HELD_RATING, [studyId, participantId, now]);
  return row ? toRatingLease(row) : null;
}

/** A new lease. Runs under the study's lock, with the study open, its leases expired and none held. */
export async function claimRating(
  c: Queryable,
  studyId: string,
  participantId: string,
  now: Date,
  settings: LiveStudySettings,
  rng: Rng,
): Promise<Claim<RatingLease>> {
  if ((await countRatings(c, studyId, participantId)) >= settings.quotas.ratingsPerRater)
    return { kind: 'none', reason: 'quota_reached' };

  // rng is drawn exactly when SQLite's claim draws it, so a seeded sequence gives the same choices on both engines.
  const goldFirst = settings.goldRate > 0 && (settings.goldRate >= 1 || rng() < settings.goldRate);
  const gold = async (): Promise<number | undefined> =>
    settings.goldRate > 0 ? pickGold(c, studyId, participantId) : undefined;
  const regular = async (): Promise<number | undefined> =>
    pickRegular(c, studyId, participantId, settings.raterOverlap);
  const candidate = goldFirst ? ((await gold()) ?? (await regular())) : ((await regular()) ?? (await gold()));
  if (candidate === undefined) return { kind: 'none', reason: 'no_work' };

  const row = await firstRow<RatingLeaseRow>(
    c,
    `WITH l AS (
      INSERT INTO rating_leases (id, candidate_id, study_id, participant_id, status, leased_at, expires_at)
      VALUES ($1, $2, $3, $4, 'leased', $5, $6) RETURNING *)
    SELECT ${RATING_LEASE_COLUMNS} FROM l JOIN rating_candidates c ON c.id = l.candidate_id`,
    [randomUUID(), candidate, studyId, participantId, now.toISOString(), expiresAt(now, settings)],
  );
  return { kind: 'leased', lease: toRatingLease(row as RatingLeaseRow), resumed: false };
}
