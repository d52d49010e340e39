import type Database from 'better-sqlite3';
import type { AssignmentProgress } from '../../../shared/schemas/live-study.ts';
import type { StoredRating } from '../study-work-storage.ts';

/** Read-only views of a study's queues: researcher progress and the stored ratings. */

export function queryProgress(
  db: Database.Database,
  studyId: string,
  now: string,
): Omit<AssignmentProgress, 'status' | 'raterOverlap'> {
  const plays = db
    .prepare(
      `
    SELECT u.problem_id AS problemId, u.model, u.quota,
      (SELECT COUNT(*) FROM play_leases l WHERE l.unit_id = u.id AND l.status = 'completed') AS completed,
      (SELECT COUNT(*) FROM play_leases l WHERE l.unit_id = u.id AND l.status = 'leased' AND l.expires_at > @now) AS active
    FROM play_units u WHERE u.study_id = @study AND u.active = 1 ORDER BY u.position, u.id`,
    )
    .all({ study: studyId, now }) as AssignmentProgress['plays'];
  const candidates = (
    db
      .prepare(
        `
    SELECT c.item_id AS itemId, c.problem_id AS problemId, c.source_episode_id AS sourceEpisodeId, c.is_gold AS isGold,
      (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id) AS rated,
      (SELECT COUNT(*) FROM rating_leases l WHERE l.candidate_id = c.id AND l.status = 'leased' AND l.expires_at > @now) AS active,
      c.withdrawn_at IS NOT NULL AS withdrawn,
      (SELECT COUNT(*) FROM rating_skips s WHERE s.candidate_id = c.id) AS cantJudge,
      (SELECT COUNT(*) FROM rating_flags f WHERE f.candidate_id = c.id) AS flagged
    FROM rating_candidates c WHERE c.study_id = @study ORDER BY c.id`,
      )
      .all({ study: studyId, now }) as (Omit<AssignmentProgress['candidates'][number], 'isGold' | 'withdrawn'> & {
      isGold: number;
      withdrawn: number;
    })[]
  ).map(({ withdrawn, ...c }) => ({ ...c, isGold: c.isGold === 1, ...(withdrawn === 1 ? { withdrawn: true } : {}) }));
  const raters = db
    .prepare(
      `
    SELECT p.participant_id AS participantId,
      (SELECT prolific_pid FROM participants WHERE id = p.participant_id) AS prolificPid,
      (SELECT COUNT(*) FROM ratings r WHERE r.study_id = @study AND r.participant_id = p.participant_id) AS rated,
      (SELECT COUNT(*) FROM rating_skips s WHERE s.study_id = @study AND s.participant_id = p.participant_id) AS cantJudge,
      (SELECT COUNT(*) FROM rating_leases l WHERE l.study_id = @study AND l.participant_id = p.participant_id
         AND l.status = 'leased' AND l.expires_at > @now) AS active,
      (SELECT COUNT(*) FROM ratings r WHERE r.study_id = @study AND r.participant_id = p.participant_id
         AND r.attention_passed IS NOT NULL) AS attentionChecked,
      (SELECT COUNT(*) FROM ratings r WHERE r.study_id = @study AND r.participant_id = p.participant_id
         AND r.attention_passed = 1) AS attentionPassed
    FROM (SELECT DISTINCT participant_id FROM rating_leases WHERE study_id = @study) p ORDER BY p.participant_id`,
    )
    .all({ study: studyId, now }) as AssignmentProgress['raters'];
  // Per actor: what they finished, hold now, and dropped (a lease that expired or was released: idle timeout, quit).
  const actors = db
    .prepare(
      `
    SELECT l.participant_id AS participantId, p.prolific_pid AS prolificPid,
      SUM(l.status = 'completed') AS completed,
      SUM(l.status = 'leased' AND l.expires_at > @now) AS active,
      SUM(l.status IN ('expired', 'released') OR (l.status = 'leased' AND l.expires_at <= @now)) AS dropped,
      MAX(COALESCE(l.ended_at, l.leased_at)) AS lastActivityAt
    FROM play_leases l LEFT JOIN participants p ON p.id = l.participant_id
    WHERE l.study_id = @study GROUP BY l.participant_id ORDER BY MIN(l.leased_at), l.participant_id`,
    )
    .all({ study: studyId, now }) as AssignmentProgress['actors'];
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

export function queryRatings(db: Database.Database, studyId: string): StoredRating[] {
  const rows = db
    .prepare(
      `
    SELECT c.item_id, c.problem_id, c.source_episode_id, c.is_gold, r.participant_id, r.scores_json, r.correct, r.justification,
      r.seconds_spent, r.attention_passed, r.created_at
    FROM ratings r JOIN rating_candidates c ON c.id = r.candidate_id WHERE r.study_id = ? ORDER BY r.id`,
    )
    .all(studyId) as RatingRow[];
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
