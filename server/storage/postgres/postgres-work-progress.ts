import type { AssignmentProgress } from '../../../shared/schemas/live-study.ts';
import {
  outcomeReplaces,
  ParticipantOutcomeKindSchema,
  type ParticipantOutcomeKind,
} from '../../../shared/schemas/participant-outcome.ts';
import type { ParticipantOutcome, StoredRating } from '../study-work-storage.ts';
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
    await rowsOf<
      Omit<AssignmentProgress['candidates'][number], 'isGold' | 'withdrawn'> & { isGold: number; withdrawn: boolean }
    >(
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
  ).map(({ withdrawn, ...x }) => ({ ...x, isGold: x.isGold === 1, ...(withdrawn ? { withdrawn: true } : {}) }));
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

interface RatingRow {
  item_id: string;
  problem_id: string;
  source_episode_id: string | null;
  is_gold: number;
  participant_id: string;
  scores_json: string;
  correct: number;
  justification: string;
  seconds_spent: number;
  attention_passed: number | null;
  created_at: string;
}

export async function queryRatings(c: Queryable, studyId: string): Promise<StoredRating[]> {
  const rows = await rowsOf<RatingRow>(
    c,
    `SELECT c.item_id, c.problem_id, c.source_episode_id, c.is_gold, r.participant_id, r.scores_json, r.correct,
      r.justification, r.seconds_spent, r.attention_passed, r.created_at
    FROM ratings r JOIN rating_candidates c ON c.id = r.candidate_id WHERE r.study_id = $1 ORDER BY r.id`,
    [studyId],
  );
  return rows.map((r) => ({
    itemId: r.item_id,
    problemId: r.problem_id,
    sourceEpisodeId: r.source_episode_id,
    isGold: r.is_gold === 1,
    participantId: r.participant_id,
    scores: JSON.parse(r.scores_json) as Record<string, number>,
    correct: r.correct === 1 ? 1 : 0,
    justification: r.justification,
    secondsSpent: r.seconds_spent,
    attentionPassed: r.attention_passed === null ? null : r.attention_passed === 1,
    createdAt: r.created_at,
  }));
}

interface OutcomeRow {
  study_id: string;
  participant_id: string;
  outcome: string;
  completion_code: string | null;
  ended_at: string;
}

function fromRow(row: OutcomeRow): ParticipantOutcome {
  return {
    studyId: row.study_id,
    participantId: row.participant_id,
    // The column's CHECK allows only these; parsing keeps a hand-edited row from passing as one.
    outcome: ParticipantOutcomeKindSchema.parse(row.outcome),
    completionCode: row.completion_code,
    endedAt: row.ended_at,
  };
}

const OUTCOME_COLUMNS = 'study_id, participant_id, outcome, completion_code, ended_at';

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
  return row ? fromRow(row) : null;
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
