import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { NewRating, NewSkip, SubmitOutcome } from '../study-work-storage.ts';
import {
  RATING_INSERT_COLUMNS,
  ratingValues,
  SKIP_INSERT_COLUMNS,
  skipValues,
  type JudgmentKey,
} from '../rows/rating-rows.ts';
import type { Queryable } from './pg-database.ts';
import { firstRow } from './postgres-work-sql.ts';

/**
 * Storing a judgment (a rating or "can't judge") against the rater's lease on PostgreSQL, with the checks of
 * sqlite/rating-queue-queries.ts (storeRating, usableLease) and sqlite/rating-judgment-queries.ts (storeSkip). Runs
 * inside the caller's transaction, which holds the study's settings row lock, so the k ceiling of a late judgment is
 * checked against settled counts. The checks are one statement and the write another: every round trip is time the
 * study's lock is held while other claims wait.
 */

interface Target {
  candidate_id: number;
  is_gold: number;
  /** The rater already rated it or said they could not judge it. */
  judged: boolean;
  /** The rater's newest live or lapsed lease on it, if any. */
  lease_id: string | null;
  lease_status: string | null;
  lease_expires_at: string | null;
  /** Ratings of the answer plus other raters' live leases on it: its coverage without this rater. */
  others: number;
  /** The rater's judgments in the study so far. */
  judgments: number;
}

async function targetOf(
  c: Queryable,
  studyId: string,
  itemId: string,
  participantId: string,
  now: string,
): Promise<Target | undefined> {
  return firstRow<Target>(
    c,
    `SELECT c.id AS candidate_id, c.is_gold,
      EXISTS (SELECT 1 FROM ratings WHERE candidate_id = c.id AND participant_id = $3)
        OR EXISTS (SELECT 1 FROM rating_skips WHERE candidate_id = c.id AND participant_id = $3) AS judged,
      l.id AS lease_id, l.status AS lease_status, l.expires_at AS lease_expires_at,
      (SELECT COUNT(*) FROM ratings WHERE candidate_id = c.id)
        + (SELECT COUNT(*) FROM rating_leases o WHERE o.candidate_id = c.id AND o.status = 'leased'
           AND o.expires_at COLLATE "C" > $4 AND o.participant_id <> $3) AS others,
      (SELECT COUNT(*) FROM ratings WHERE study_id = $1 AND participant_id = $3)
        + (SELECT COUNT(*) FROM rating_skips WHERE study_id = $1 AND participant_id = $3) AS judgments
    FROM rating_candidates c
    LEFT JOIN LATERAL (
      SELECT id, status, expires_at FROM rating_leases
      WHERE candidate_id = c.id AND participant_id = $3 AND status IN ('leased', 'expired')
      ORDER BY leased_at COLLATE "C" DESC, rowid DESC LIMIT 1
    ) l ON true
    WHERE c.study_id = $1 AND c.item_id = $2`,
    [studyId, itemId, participantId, now],
  );
}

/**
 * Why the judgment cannot be stored, or null when it can: no such item, judged already, no lease, or the lease
 * lapsed and the answer has meanwhile gone to k other raters (a late rating is welcome otherwise: k is a ceiling).
 */
function refusal(target: Target | undefined, now: string, settings: LiveStudySettings): SubmitOutcome | null {
  if (!target) return { kind: 'not_leased' };
  if (target.judged) return { kind: 'already_rated' };
  if (target.lease_id === null) return { kind: 'not_leased' };
  const lapsed = target.lease_status === 'expired' || (target.lease_expires_at ?? '') <= now;
  if (lapsed && target.is_gold === 0 && target.others >= settings.raterOverlap) return { kind: 'not_leased' };
  return null;
}

function keyOf(target: Target, leaseId: string, j: { studyId: string; participantId: string }): JudgmentKey {
  return { candidateId: target.candidate_id, studyId: j.studyId, participantId: j.participantId, leaseId };
}

/** Runs under the study's lock. */
export async function storeRating(c: Queryable, r: NewRating, settings: LiveStudySettings): Promise<SubmitOutcome> {
  const now = r.now.toISOString();
  const target = await targetOf(c, r.studyId, r.itemId, r.participantId, now);
  const refused = refusal(target, now, settings);
  if (refused || !target || target.lease_id === null) return refused ?? { kind: 'not_leased' };
  await c.query(
    `WITH stored AS (
      INSERT INTO ratings (${RATING_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      RETURNING lease_id)
    UPDATE rating_leases SET status = 'completed', ended_at = $10 WHERE id = (SELECT lease_id FROM stored)`,
    ratingValues(keyOf(target, target.lease_id, r), r, r.secondsSpent, now),
  );
  return { kind: 'stored', rated: target.judgments + 1 };
}

/** Runs under the study's lock. */
export async function storeSkip(c: Queryable, s: NewSkip, settings: LiveStudySettings): Promise<SubmitOutcome> {
  const now = s.now.toISOString();
  const target = await targetOf(c, s.studyId, s.itemId, s.participantId, now);
  const refused = refusal(target, now, settings);
  if (refused || !target || target.lease_id === null) return refused ?? { kind: 'not_leased' };
  await c.query(
    `WITH stored AS (
      INSERT INTO rating_skips (${SKIP_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING lease_id)
    UPDATE rating_leases SET status = 'completed', ended_at = $8 WHERE id = (SELECT lease_id FROM stored)`,
    skipValues(keyOf(target, target.lease_id, s), s, s.secondsSpent, now),
  );
  return { kind: 'stored', rated: target.judgments + 1 };
}
