import type Database from 'better-sqlite3';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary } from '../episode-storage.ts';
import { episodeRowToSummary, type EpisodeRow } from '../rows/episode-rows.ts';
import { saveEpisode } from './episode-queries.ts';
import { cachedStatement } from './statement-cache.ts';

// The simulated twins of live episodes on SQLite (LiveEpisodeStorage.beginTwin, saveTwin, twinsOf).

/** Links a stored episode to the live one it is the twin of, in the live episode's study. */
function linkTwin(db: Database.Database, liveEpisodeId: string, twinId: string): void {
  cachedStatement(
    db,
    'UPDATE episodes SET twin_of = ?, study_id = (SELECT study_id FROM episodes WHERE id = ?) WHERE id = ?',
  ).run(liveEpisodeId, liveEpisodeId, twinId);
}

export function beginTwin(
  db: Database.Database,
  liveEpisodeId: string,
  summary: EpisodeSummary,
): { twin: EpisodeSummary; created: boolean } {
  // IMMEDIATE: the research worker's connection and the server's may both ask; the check and the insert are one step.
  return db
    .transaction(() => {
      const existing = cachedStatement(db, 'SELECT * FROM episodes WHERE twin_of = ? ORDER BY started_at LIMIT 1').get(
        liveEpisodeId,
      ) as EpisodeRow | undefined;
      if (existing) return { twin: episodeRowToSummary(existing), created: false };
      saveEpisode(db, summary, []);
      linkTwin(db, liveEpisodeId, summary.id);
      return { twin: summary, created: true };
    })
    .immediate();
}

export function saveTwin(
  db: Database.Database,
  liveEpisodeId: string,
  summary: EpisodeSummary,
  events: readonly EpisodeEvent[],
): void {
  db.transaction(() => {
    saveEpisode(db, summary, events);
    linkTwin(db, liveEpisodeId, summary.id);
  })();
}

export function twinsOf(db: Database.Database, liveEpisodeId: string): string[] {
  return cachedStatement(db, 'SELECT id FROM episodes WHERE twin_of = ? ORDER BY started_at')
    .pluck()
    .all(liveEpisodeId) as string[];
}
