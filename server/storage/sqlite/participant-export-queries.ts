import type Database from 'better-sqlite3';
import { ParticipantOutcomeKindSchema } from '../../../shared/schemas/participant-outcome.ts';
import type { ProlificIds } from '../people-storage.ts';
import type { ParticipantCursor, StudyParticipant } from '../research-storage.ts';
import { cachedStatement } from './statement-cache.ts';
import type { ParticipantRow } from '../rows/people-rows.ts';

/**
 * The participants export's read: one page of a study's participants with their plays, ratings, activity times and
 * stored outcome. Read-only; the participant ids of a page go into each statement as one JSON parameter.
 */

interface ExportParticipantRow extends ParticipantRow {
  outcome: string | null;
  completion_code: string | null;
  ended_at: string | null;
}

interface PlayCountsRow {
  participant_id: string;
  started: number;
  completed: number;
  self_rated: number;
  timed_out: number;
  otherwise_ended: number;
}

interface RatingCountsRow {
  participant_id: string;
  done: number;
  checked: number;
  passed: number;
}

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

  const plays = new Map(
    (
      cachedStatement(
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
      ).all(params) as PlayCountsRow[]
    ).map((r) => [r.participant_id, r]),
  );
  const ratings = new Map(
    (
      cachedStatement(
        db,
        `SELECT participant_id, COUNT(*) AS done, COUNT(attention_passed) AS checked,
           COALESCE(SUM(attention_passed), 0) AS passed
         FROM ratings WHERE study_id = @study AND participant_id IN (SELECT value FROM json_each(@ids))
         GROUP BY participant_id`,
      ).all(params) as RatingCountsRow[]
    ).map((r) => [r.participant_id, r]),
  );
  // "Can't judge" answers count toward a rater's quota (and one on a gold item is a failed attention check), so a
  // researcher paying per item sees them beside the ratings.
  const skips = new Map(
    (
      cachedStatement(
        db,
        `SELECT s.participant_id, COUNT(*) AS skipped, COALESCE(SUM(c.is_gold), 0) AS gold_skipped
         FROM rating_skips s JOIN rating_candidates c ON c.id = s.candidate_id
         WHERE s.study_id = @study AND s.participant_id IN (SELECT value FROM json_each(@ids))
         GROUP BY s.participant_id`,
      ).all(params) as { participant_id: string; skipped: number; gold_skipped: number }[]
    ).map((r) => [r.participant_id, r]),
  );
  const eventTimes = groupBy(
    cachedStatement(
      db,
      `SELECT e.participant_id AS participant_id, json_extract(v.json, '$.at') AS at
       FROM episodes e JOIN episode_events v ON v.episode_id = e.id
       WHERE ${PLAYED} AND v.type <> 'episode_failed' ORDER BY at`,
    ).all(params) as { participant_id: string; at: string }[],
    (r) => r.at,
  );
  const ratingTimes = groupBy(
    cachedStatement(
      db,
      `SELECT participant_id, created_at, seconds_spent FROM ratings
       WHERE study_id = @study AND participant_id IN (SELECT value FROM json_each(@ids))
       UNION ALL
       SELECT participant_id, created_at, seconds_spent FROM rating_skips
       WHERE study_id = @study AND participant_id IN (SELECT value FROM json_each(@ids))
       ORDER BY created_at`,
    ).all(params) as { participant_id: string; created_at: string; seconds_spent: number }[],
    (r) => ({ at: r.created_at, secondsSpent: r.seconds_spent }),
  );

  return rows.map((r) => {
    const p = plays.get(r.id);
    // Only the stored kinds pass; a hand-edited row with another value reads as no outcome rather than a wrong one.
    const outcome = ParticipantOutcomeKindSchema.safeParse(r.outcome);
    const rated = ratings.get(r.id);
    const skipped = skips.get(r.id);
    return {
      id: r.id,
      studyId: r.study_id,
      role: r.role,
      ...prolificOf(r),
      inviteCode: r.invite_code,
      createdAt: r.created_at,
      plays: {
        started: p?.started ?? 0,
        completed: p?.completed ?? 0,
        selfRated: p?.self_rated ?? 0,
        timedOut: p?.timed_out ?? 0,
        otherwiseEnded: p?.otherwise_ended ?? 0,
      },
      ratings: {
        done: rated?.done ?? 0,
        cantJudge: skipped?.skipped ?? 0,
        attentionChecked: (rated?.checked ?? 0) + (skipped?.gold_skipped ?? 0),
        attentionPassed: rated?.passed ?? 0,
      },
      eventTimes: eventTimes.get(r.id) ?? [],
      ratingTimes: ratingTimes.get(r.id) ?? [],
      outcome:
        outcome.success && r.ended_at !== null
          ? { outcome: outcome.data, completionCode: r.completion_code, endedAt: r.ended_at }
          : null,
    };
  });
}

/** The Prolific ids of the given participants (one statement for any number of them). */
export function prolificIdsOf(db: Database.Database, participantIds: readonly string[]): Map<string, ProlificIds> {
  const rows = cachedStatement(
    db,
    `SELECT id, prolific_pid, prolific_study_id, prolific_session_id FROM participants
     WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify([...new Set(participantIds)])) as Pick<
    ExportParticipantRow,
    'id' | 'prolific_pid' | 'prolific_study_id' | 'prolific_session_id'
  >[];
  return new Map(rows.map((r) => [r.id, prolificOf(r)]));
}

function prolificOf(
  r: Pick<ParticipantRow, 'prolific_pid' | 'prolific_study_id' | 'prolific_session_id'>,
): ProlificIds {
  return {
    ...(r.prolific_pid === null ? {} : { prolificPid: r.prolific_pid }),
    ...(r.prolific_study_id === null ? {} : { prolificStudyId: r.prolific_study_id }),
    ...(r.prolific_session_id === null ? {} : { prolificSessionId: r.prolific_session_id }),
  };
}

function groupBy<R extends { participant_id: string }, T>(rows: R[], value: (row: R) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.participant_id) ?? [];
    list.push(value(row));
    groups.set(row.participant_id, list);
  }
  return groups;
}
