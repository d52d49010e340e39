import type Database from 'better-sqlite3';
import type { LiveActivity, LiveEpisodeInfo, LiveTally } from '../live-storage.ts';
import { toLiveEpisodeInfo, type LiveEpisodeRow } from '../rows/episode-rows.ts';
import { liveUnitsQueries } from '../rows/live-units-sql.ts';
import {
  toLiveActivity,
  toLiveTally,
  type ActivityRow,
  type FailureCountRow,
  type StatusCountRow,
} from '../rows/live-tally-rows.ts';
import { cachedStatement } from './statement-cache.ts';

/** A live episode of the study: a person played it (twins and batch episodes have no participant). */
const OF_STUDY = 'study_id = ? AND participant_id IS NOT NULL';

/** LiveEpisodeStorage.tally on SQLite: three aggregates over the study's episodes (index episodes_by_study). */
export function liveTally(db: Database.Database, studyId: string, maxFailures: number): LiveTally {
  const statuses = cachedStatement(
    db,
    `SELECT status, COUNT(*) AS n FROM episodes WHERE ${OF_STUDY} GROUP BY status`,
  ).all(studyId) as StatusCountRow[];
  const failures = cachedStatement(
    db,
    `SELECT failure_stage AS stage, failure_reason AS reason, COUNT(*) AS n FROM episodes
     WHERE ${OF_STUDY} AND status = 'failed' AND failure_stage IS NOT NULL
     GROUP BY failure_stage, failure_reason ORDER BY n DESC, stage, reason LIMIT ?`,
  ).all(studyId, maxFailures) as FailureCountRow[];
  const models = cachedStatement(
    db,
    `SELECT name FROM (
       SELECT assistant_model AS name FROM episodes WHERE ${OF_STUDY}
       UNION SELECT judge_model FROM episodes WHERE ${OF_STUDY}
       UNION SELECT simulator_model FROM episodes WHERE ${OF_STUDY})
     WHERE name IS NOT NULL AND name <> '' ORDER BY name`,
  )
    .pluck()
    .all(studyId, studyId, studyId) as string[];
  return toLiveTally(statuses, failures, models);
}

/**
 * LiveEpisodeStorage.activity on SQLite: one pass over the episodes' events, the replies counted from each event's
 * JSON by SQLite itself. The bare `json` beside the one max(seq) is the last event's (SQLite's documented rule for a
 * bare column in a query with a single min() or max() aggregate).
 */
export function liveActivity(db: Database.Database, episodeIds: readonly string[]): Map<string, LiveActivity> {
  if (episodeIds.length === 0) return new Map();
  const rows = cachedStatement(
    db,
    `SELECT episode_id,
       SUM(type = 'message' AND json_extract(json, '$.role') = 'user' AND json_extract(json, '$.kind') = 'reply')
         AS replies,
       MAX(seq) AS last_seq, json_extract(json, '$.at') AS last_at
     FROM episode_events WHERE episode_id IN (SELECT value FROM json_each(?)) GROUP BY episode_id`,
  ).all(JSON.stringify(episodeIds)) as ActivityRow[];
  return toLiveActivity(rows);
}

/** LiveEpisodeStorage.units on SQLite: in one read transaction, so the page and the total describe the same moment. */
export function liveUnits(
  db: Database.Database,
  studyId: string,
  page: { offset: number; limit: number },
): { total: number; episodes: LiveEpisodeInfo[] } {
  const { list, count } = liveUnitsQueries(
    studyId,
    page,
    () => '?',
    (column) => column,
  );
  return db.transaction(() => ({
    total: (cachedStatement(db, count.sql).get(...count.params) as { n: number }).n,
    episodes: (cachedStatement(db, list.sql).all(...list.params) as LiveEpisodeRow[]).map(toLiveEpisodeInfo),
  }))();
}
