import type { AssignmentProgress } from '../../../shared/schemas/assignment-progress.ts';
import { outcomeReplaces, type ParticipantOutcomeKind } from '../../../shared/schemas/participant-outcome.ts';
import type { ParticipantOutcome, StoredRating } from '../study-work-storage.ts';
import { OUTCOME_COLUMNS, toOutcome, type OutcomeRow } from '../rows/outcome-rows.ts';
import {
  STORED_RATING_COLUMNS,
  toCandidateProgress,
  toStoredRating,
  type CandidateProgressRow,
  type StoredRatingRow,
} from '../rows/rating-rows.ts';
import type { Queryable } from './pg-database.ts';
import { firstRow, rowsOf } from './postgres-work-sql.ts';

/**
 * Read-only views of a study's queues (researcher progress, stored ratings) and participants' outcomes, on
 * PostgreSQL (mirrors sqlite/work-progress-queries.ts and sqlite/participant-outcome-queries.ts).
 */

export async function queryProgress(
  c: Queryable,
  studyId: string,
  now: string,
): Promise<Omit<AssignmentProgress, 'status' | 'raterOverlap' | 'flags'>> {
  const params = [studyId, now];
  const plays = await rowsOf<AssignmentProgress['plays'][number]>(
    c,
    `SELECT u.problem_id AS "problemId", u.model, u.quota,
      (SELECT COUNT(*) FROM play_leases l WHERE l.unit_id = u.id AND l.status = 'completed') AS completed,
      (SELECT COUNT(*) FROM play_leases l WHERE l.unit_id = u.id AND l.status = 'leased'
        AND l.expires_at COLLATE "C" > $2) AS active
    FROM play_units u WHERE u.study_id = $1 AND u.active = 1 ORDER BY u.position, u.id`,
    params,
  );
  const candidates = (
    await rowsOf<CandidateProgressRow>(
      c,
      `SELECT c.item_id AS "itemId", c.problem_id AS "problemId", c.source_episode_id AS "sourceEpisodeId",
        c.is_gold AS "isGold",
        (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id) AS rated,
        (SELECT COUNT(*) FROM rating_leases l WHERE l.candidate_id = c.id AND l.status = 'leased'
          AND l.expires_at COLLATE "C" > $2) AS active,
        c.withdrawn_at IS NOT NULL AS withdrawn,
        (SELECT COUNT(*) FROM rating_skips s WHERE s.candidate_id = c.id) AS "cantJudge",
        (SELECT COUNT(*) FROM rating_flags f WHERE f.candidate_id = c.id) AS flagged
      FROM rating_candidates c WHERE c.study_id = $1 ORDER BY c.id`,
      params,
    )
  ).map(toCandidateProgress);
  const raters = await rowsOf<AssignmentProgress['raters'][number]>(
    c,
    `SELECT p.participant_id AS "participantId",
      (SELECT prolific_pid FROM participants WHERE id = p.participant_id) AS "prolificPid",
      (SELECT COUNT(*) FROM ratings r WHERE r.study_id = $1 AND r.participant_id = p.participant_id) AS rated,
      (SELECT COUNT(*) FROM rating_skips s WHERE s.study_id = $1 AND s.participant_id = p.participant_id) AS "cantJudge",
      (SELECT COUNT(*) FROM rating_leases l WHERE l.study_id = $1 AND l.participant_id = p.participant_id
         AND l.status = 'leased' AND l.expires_at COLLATE "C" > $2) AS active,
      (SELECT COUNT(*) FROM ratings r WHERE r.study_id = $1 AND r.participant_id = p.participant_id
         AND r.attention_passed IS NOT NULL) AS "attentionChecked",
      (SELECT COUNT(*) FROM ratings r WHERE r.study_id = $1 AND r.participant_id = p.participant_id
         AND r.attention_passed = 1) AS "attentionPassed"
    FROM (SELECT DISTINCT participant_id FROM rating_leases WHERE study_id = $1) p
    ORDER BY p.participant_id COLLATE "C"`,
    params,
  );
  // Per actor: what they finished, hold now, and dropped (a lease that expired or was released: idle timeout, quit).
  const actors = await rowsOf<AssignmentProgress['actors'][number]>(
    c,
    `SELECT l.participant_id AS "participantId", MIN(p.prolific_pid) AS "prolificPid",
      COUNT(*) FILTER (WHERE l.status = 'completed') AS completed,
      COUNT(*) FILTER (WHERE l.status = 'leased' AND l.expires_at COLLATE "C" > $2) AS active,
      COUNT(*) FILTER (WHERE l.status IN ('expired', 'released')
        OR (l.status = 'leased' AND l.expires_at COLLATE "C" <= $2)) AS dropped,
      MAX(COALESCE(l.ended_at, l.leased_at) COLLATE "C") AS "lastActivityAt"
    FROM play_leases l LEFT JOIN participants p ON p.id = l.participant_id
    WHERE l.study_id = $1 GROUP BY l.participant_id
    ORDER BY MIN(l.leased_at COLLATE "C"), l.participant_id COLLATE "C"`,
    params,
  );
  return { studyId, plays, candidates, raters, actors };
}

export async function queryRatings(c: Queryable, studyId: string): Promise<StoredRating[]> {
  const rows = await rowsOf<StoredRatingRow>(
    c,
    `SELECT ${STORED_RATING_COLUMNS}
    FROM ratings r JOIN rating_candidates c ON c.id = r.candidate_id WHERE r.study_id = $1 ORDER BY r.id`,
    [studyId],
  );
  return rows.map(toStoredRating);
}

export async function getOutcome(
  c: Queryable,
  participantId: string,
  lock = false,
): Promise<ParticipantOutcome | null> {
  const row = await firstRow<OutcomeRow>(
    c,
    `SELECT ${OUTCOME_COLUMNS} FROM participant_outcomes WHERE participant_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [participantId],
  );
  return row ? toOutcome(row) : null;
}

/**
 * Inside the caller's transaction: stores `next` unless the stored outcome outranks it; returns the one in force.
 * The stored row is locked while it is compared. With no row yet there is nothing to lock, so the first outcome goes
 * in with ON CONFLICT DO NOTHING: if a concurrent end inserted first, its row is then locked and compared instead.
 */
export async function recordOutcome(
  c: Queryable,
  next: { studyId: string; participantId: string; outcome: ParticipantOutcomeKind; completionCode: string | null },
  now: Date,
): Promise<ParticipantOutcome> {
  const endedAt = now.toISOString();
  const values = [next.participantId, next.studyId, next.outcome, next.completionCode, endedAt];
  let current = await getOutcome(c, next.participantId, true);
  if (!current) {
    const inserted = await c.query(
      `INSERT INTO participant_outcomes (participant_id, study_id, outcome, completion_code, ended_at)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT (participant_id) DO NOTHING`,
      values,
    );
    if (inserted.rowCount === 1) return { ...next, endedAt };
    current = await getOutcome(c, next.participantId, true);
  }
  if (current && !outcomeReplaces(current.outcome, next.outcome)) return current;
  await c.query(
    `UPDATE participant_outcomes SET study_id = $2, outcome = $3, completion_code = $4, ended_at = $5
    WHERE participant_id = $1`,
    values,
  );
  return { ...next, endedAt };
}
