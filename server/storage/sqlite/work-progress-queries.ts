import type Database from 'better-sqlite3';
import type { AssignmentProgress } from '../../../shared/schemas/assignment-progress.ts';
import type { StoredRating } from '../study-work-storage.ts';
import {
  STORED_RATING_COLUMNS,
  toCandidateProgress,
  toStoredRating,
  type CandidateProgressRow,
  type StoredRatingRow,
} from '../rows/rating-rows.ts';

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
      .all({ study: studyId, now }) as CandidateProgressRow[]
  ).map(toCandidateProgress);
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

export function queryRatings(db: Database.Database, studyId: string): StoredRating[] {
  const rows = db
    .prepare(
      `
    SELECT ${STORED_RATING_COLUMNS}
    FROM ratings r JOIN rating_candidates c ON c.id = r.candidate_id WHERE r.study_id = ? ORDER BY r.id`,
    )
    .all(studyId) as StoredRatingRow[];
  return rows.map(toStoredRating);
}
