import type Database from 'better-sqlite3';
import type { ProlificIds } from '../people-storage.ts';
import type { ParticipantCursor, StudyParticipant } from '../research-storage.ts';
import {
  toProlificIds,
  toStudyParticipants,
  type EventTimeRow,
  type ExportParticipantRow,
  type PlayCountsRow,
  type ProlificIdsRow,
  type RatingCountsRow,
  type RatingTimeRow,
  type SkipCountsRow,
} from '../rows/participant-export-rows.ts';
import { cachedStatement } from './statement-cache.ts';

/**
 * The participants export's read: one page of a study's participants with their plays, ratings, activity times and
 * stored outcome. Read-only; the participant ids of a page go into each statement as one JSON parameter.
 */

// Live episodes a person played. Twins are stored without a participant today; the twin_of test keeps a simulated
// play from ever counting as the person's.
const PLAYED = 'e.study_id = @study AND e.participant_id IN (SELECT value FROM json_each(@ids)) AND e.twin_of IS NULL';
const IDLE_TIMEOUT = `EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'episode_failed'
                       AND json_extract(v.json, '$.code') = 'idle_timeout')`;

export function studyParticipantsPage(
  db: Database.Database,
  studyId: string,
  page: { after: ParticipantCursor | null; limit: number },
): StudyParticipant[] {
  const rows = cachedStatement(
    db,
    `SELECT p.*, o.outcome, o.completion_code, o.ended_at FROM participants p
     LEFT JOIN participant_outcomes o ON o.participant_id = p.id
     WHERE p.study_id = @study
       AND (@afterAt IS NULL OR p.created_at > @afterAt OR (p.created_at = @afterAt AND p.id > @afterId))
     ORDER BY p.created_at, p.id LIMIT @limit`,
  ).all({
    study: studyId,
    afterAt: page.after?.createdAt ?? null,
    afterId: page.after?.id ?? '',
    limit: page.limit,
  }) as ExportParticipantRow[];
  if (rows.length === 0) return [];
  const params = { study: studyId, ids: JSON.stringify(rows.map((r) => r.id)) };

  const plays = cachedStatement(
    db,
    `SELECT e.participant_id,
       COUNT(*) AS started,
       SUM(e.status = 'completed') AS completed,
       SUM(EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated'))
         AS self_rated,
       SUM(${IDLE_TIMEOUT}) AS timed_out,
       -- Disjoint from timed_out: a play ended by the idle timeout is stored as failed too.
       SUM(e.status IN ('failed', 'aborted') AND NOT ${IDLE_TIMEOUT}) AS otherwise_ended
     FROM episodes e WHERE ${PLAYED} GROUP BY e.participant_id`,
  ).all(params) as PlayCountsRow[];
  const ratings = cachedStatement(
    db,
    `SELECT participant_id, COUNT(*) AS done, COUNT(attention_passed) AS checked,
       COALESCE(SUM(attention_passed), 0) AS passed
     FROM ratings WHERE study_id = @study AND participant_id IN (SELECT value FROM json_each(@ids))
     GROUP BY participant_id`,
  ).all(params) as RatingCountsRow[];
  const skips = cachedStatement(
    db,
    `SELECT s.participant_id, COUNT(*) AS skipped, COALESCE(SUM(c.is_gold), 0) AS gold_skipped
     FROM rating_skips s JOIN rating_candidates c ON c.id = s.candidate_id
     WHERE s.study_id = @study AND s.participant_id IN (SELECT value FROM json_each(@ids))
     GROUP BY s.participant_id`,
  ).all(params) as SkipCountsRow[];
  const eventTimes = cachedStatement(
    db,
    `SELECT e.participant_id AS participant_id, json_extract(v.json, '$.at') AS at
     FROM episodes e JOIN episode_events v ON v.episode_id = e.id
     WHERE ${PLAYED} AND v.type <> 'episode_failed' ORDER BY at`,
  ).all(params) as EventTimeRow[];
  const ratingTimes = cachedStatement(
    db,
    `SELECT participant_id, created_at, seconds_spent FROM ratings
     WHERE study_id = @study AND participant_id IN (SELECT value FROM json_each(@ids))
     UNION ALL
     SELECT participant_id, created_at, seconds_spent FROM rating_skips
     WHERE study_id = @study AND participant_id IN (SELECT value FROM json_each(@ids))
     ORDER BY created_at`,
  ).all(params) as RatingTimeRow[];
  return toStudyParticipants(rows, { plays, ratings, skips, eventTimes, ratingTimes });
}

/** The Prolific ids of the given participants (one statement for any number of them). */
export function prolificIdsOf(db: Database.Database, participantIds: readonly string[]): Map<string, ProlificIds> {
  const rows = cachedStatement(
    db,
    `SELECT id, prolific_pid, prolific_study_id, prolific_session_id FROM participants
     WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify([...new Set(participantIds)])) as ProlificIdsRow[];
  return toProlificIds(rows);
}
