import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { NewRating, NewSkip, SubmitOutcome } from '../study-work-storage.ts';
import type { Queryable } from './pg-database.ts';
import { countRatings } from './postgres-work-rating.ts';
import { countOf, firstRow } from './postgres-work-sql.ts';

/**
 * Storing a judgment (a rating or "can't judge") against the rater's lease on PostgreSQL, as
 * sqlite/rating-queue-queries.ts and sqlite/rating-judgment-queries.ts do. Runs inside the caller's transaction,
 * which holds the study's settings row lock, so the k ceiling of a late judgment is checked against settled counts.
 */

/** Whether the rater has judged (rated or could not judge) this candidate. */
export async function hasJudged(c: Queryable, candidateId: number, participantId: string): Promise<boolean> {
  const row = await firstRow(
    c,
    `SELECT 1 FROM ratings WHERE candidate_id = $1 AND participant_id = $2
    UNION ALL SELECT 1 FROM rating_skips WHERE candidate_id = $1 AND participant_id = $2`,
    [candidateId, participantId],
  );
  return row !== undefined;
}

export interface CandidateKey {
  id: number;
  is_gold: number;
}

/** Runs under the study's lock. */
export async function storeRating(c: Queryable, r: NewRating, settings: LiveStudySettings): Promise<SubmitOutcome> {
  const candidate = await firstRow<CandidateKey>(
    c,
    'SELECT id, is_gold FROM rating_candidates WHERE study_id = $1 AND item_id = $2',
    [r.studyId, r.itemId],
  );
  if (!candidate) return { kind: 'not_leased' };
  if (await hasJudged(c, candidate.id, r.participantId)) return { kind: 'already_rated' };
  const now = r.now.toISOString();
  const lease = await usableLease(c, candidate, r.participantId, now, settings);
  if (!lease) return { kind: 'not_leased' };
  await c.query(
    `INSERT INTO ratings (candidate_id, study_id, participant_id, lease_id, scores_json, correct, justification,
      seconds_spent, attention_passed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      candidate.id,
      r.studyId,
      r.participantId,
      lease.id,
      JSON.stringify(r.scores),
      r.correct,
      r.justification,
      r.secondsSpent,
      r.attentionPassed === null ? null : r.attentionPassed ? 1 : 0,
      now,
    ],
  );
  await c.query(`UPDATE rating_leases SET status = 'completed', ended_at = $1 WHERE id = $2`, [now, lease.id]);
  return { kind: 'stored', rated: await countRatings(c, r.studyId, r.participantId) };
}

/**
 * The rater's lease a judgment may be stored against: their newest live or lapsed lease on the candidate, unless it
 * lapsed and the answer has meanwhile gone to k other raters.
 */
export async function usableLease(
  c: Queryable,
  candidate: CandidateKey,
  participantId: string,
  now: string,
  settings: LiveStudySettings,
): Promise<{ id: string } | null> {
  const lease = await firstRow<{ id: string; status: string; expires_at: string }>(
    c,
    `SELECT id, status, expires_at FROM rating_leases WHERE candidate_id = $1 AND participant_id = $2
    AND status IN ('leased', 'expired') ORDER BY leased_at COLLATE "C" DESC, rowid DESC LIMIT 1`,
    [candidate.id, participantId],
  );
  if (!lease) return null;
  const lapsed = lease.status === 'expired' || lease.expires_at <= now;
  if (lapsed && candidate.is_gold === 0) {
    // A late rating is welcome unless the answer has meanwhile gone to k other raters: k is a ceiling.
    const others = await countOf(
      c,
      `SELECT (SELECT COUNT(*) FROM ratings WHERE candidate_id = $1)
        + (SELECT COUNT(*) FROM rating_leases WHERE candidate_id = $1 AND status = 'leased'
           AND expires_at COLLATE "C" > $2 AND participant_id <> $3) AS n`,
      [candidate.id, now, participantId],
    );
    if (others >= settings.raterOverlap) return null;
  }
  return { id: lease.id };
}

export async function storeSkip(c: Queryable, s: NewSkip, settings: LiveStudySettings): Promise<SubmitOutcome> {
  const candidate = await firstRow<CandidateKey>(
    c,
    'SELECT id, is_gold FROM rating_candidates WHERE study_id = $1 AND item_id = $2',
    [s.studyId, s.itemId],
  );
  if (!candidate) return { kind: 'not_leased' };
  if (await hasJudged(c, candidate.id, s.participantId)) return { kind: 'already_rated' };
  const now = s.now.toISOString();
  const lease = await usableLease(c, candidate, s.participantId, now, settings);
  if (!lease) return { kind: 'not_leased' };
  await c.query(
    `INSERT INTO rating_skips (candidate_id, study_id, participant_id, lease_id, reason, note, seconds_spent, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [candidate.id, s.studyId, s.participantId, lease.id, s.reason, s.note, s.secondsSpent, now],
  );
  await c.query(`UPDATE rating_leases SET status = 'completed', ended_at = $1 WHERE id = $2`, [now, lease.id]);
  return { kind: 'stored', rated: await countRatings(c, s.studyId, s.participantId) };
}
