import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import { EpisodeEventSchema, type EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary } from '../episode-storage.ts';
import type {
  LiveActivity,
  LiveEpisodeEnd,
  LiveEpisodeInfo,
  LiveEpisodeStorage,
  LiveListFilter,
  LiveTally,
  NotOwner,
  OwnedAppend,
} from '../live-storage.ts';
import { liveCountQuery, liveListQuery } from '../rows/live-list-sql.ts';
import { liveUnitsQueries } from '../rows/live-units-sql.ts';
import type { PgDatabase } from './pg-database.ts';
import { liveActivity, liveTally } from './postgres-live-monitor.ts';
import { appendEvents, NOT_OWNER, OWNER_FENCE } from './postgres-live-appends.ts';
import { episodeRowToSummary, toLiveEpisodeInfo, type EpisodeRow, type LiveEpisodeRow } from '../rows/episode-rows.ts';
import { insertEpisodeRow, insertEvents } from './postgres-episodes.ts';

/** Links a stored episode to the live one it is the twin of, in the live episode's study. */
async function linkTwin(client: pg.PoolClient, liveEpisodeId: string, twinId: string): Promise<void> {
  await client.query(
    'UPDATE episodes SET twin_of = $1, study_id = (SELECT study_id FROM episodes WHERE id = $1) WHERE id = $2',
    [liveEpisodeId, twinId],
  );
}

/**
 * LiveEpisodeStorage on PostgreSQL (sqlite/sqlite-live-storage.ts; migration 005). An append, of one event or of a
 * live episode's group (appendOwned), is one statement and so one short transaction (postgres-live-appends.ts): unlike
 * SQLite's single writer, PostgreSQL commits concurrent appends of different episodes in parallel, so no group commit
 * across episodes; the running episode groups its own events (services/live/running-episode.ts).
 */
export class PostgresLiveStorage implements LiveEpisodeStorage {
  constructor(private readonly db: PgDatabase) {}

  async begin(info: LiveEpisodeInfo): Promise<void> {
    await this.db.transaction(async (client) => {
      await insertEpisodeRow(client, info.summary);
      await client.query(
        'UPDATE episodes SET study_id = $1, participant_id = $2, assignment_id = $3, spec_json = $4 WHERE id = $5',
        [info.studyId, info.participantId, info.assignmentId, JSON.stringify(info.spec), info.summary.id],
      );
    });
  }

  async append(episodeId: string, event: EpisodeEvent): Promise<{ seq: number; duplicate: boolean }> {
    const outcome = await appendEvents(this.db, episodeId, [event], null);
    // Unreachable without an owner to check; typed so rather than asserted.
    if (!outcome.stored || !outcome.results[0]) throw new AppError('conflict', `episode ${episodeId}: not stored`);
    return outcome.results[0];
  }

  appendOwned(episodeId: string, events: readonly EpisodeEvent[], owner: string): Promise<OwnedAppend> {
    return appendEvents(this.db, episodeId, events, owner);
  }

  async findClientMessage(episodeId: string, clientMessageId: string): Promise<number | null> {
    const [row] = await this.db.rows<{ seq: number }>(
      'SELECT seq FROM episode_client_messages WHERE episode_id = $1 AND client_message_id = $2',
      [episodeId, clientMessageId],
    );
    return row?.seq ?? null;
  }

  async eventsAfter(episodeId: string, afterSeq: number): Promise<EpisodeEvent[]> {
    const rows = await this.db.rows<{ json: string }>(
      'SELECT json FROM episode_events WHERE episode_id = $1 AND seq > $2 ORDER BY seq',
      [episodeId, afterSeq],
    );
    return rows.map((r) => EpisodeEventSchema.parse(JSON.parse(r.json)));
  }

  async finish(episodeId: string, f: LiveEpisodeEnd, owner?: string): Promise<{ stored: true } | NotOwner> {
    // Fenced as appends are (postgres-live-appends.ts): with an owner, the end is stored only while it owns the episode.
    const rows = await this.db.rows<{ id: string }>(
      `WITH ${OWNER_FENCE}
       UPDATE episodes SET status = $3, weighted_score = $4, correct = $5, interaction_turns = $6, failure_stage = $7,
         failure_reason = $8, ended_at = $9
       WHERE id = $1 AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM fence))
       RETURNING id`,
      [
        episodeId,
        owner ?? null,
        f.status,
        f.weightedScore,
        f.correct,
        f.interactionTurns,
        f.failure?.stage ?? null,
        f.failure?.reason ?? null,
        new Date().toISOString(),
      ],
    );
    return owner !== undefined && rows.length === 0 ? NOT_OWNER : { stored: true };
  }

  async get(episodeId: string): Promise<LiveEpisodeInfo | null> {
    const [row] = await this.db.rows<LiveEpisodeRow>(
      'SELECT * FROM episodes WHERE id = $1 AND participant_id IS NOT NULL',
      [episodeId],
    );
    return row ? toLiveEpisodeInfo(row) : null;
  }

  async running(): Promise<LiveEpisodeInfo[]> {
    const rows = await this.db.rows<LiveEpisodeRow>(
      `SELECT * FROM episodes WHERE status = 'running' AND participant_id IS NOT NULL
       ORDER BY started_at COLLATE "C"`,
    );
    return rows.map(toLiveEpisodeInfo);
  }

  async runningFor(participantId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(
      `SELECT e.id FROM episodes e
       WHERE e.participant_id = $1 AND e.status = 'running'
         AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated')
       ORDER BY e.started_at COLLATE "C" DESC LIMIT 1`,
      [participantId],
    );
    return row?.id ?? null;
  }

  async awaitingRatingFor(participantId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(
      `SELECT e.id FROM episodes e
       WHERE e.participant_id = $1 AND e.status = 'completed' AND e.twin_of IS NULL
         AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated')
       ORDER BY e.started_at COLLATE "C" DESC LIMIT 1`,
      [participantId],
    );
    return row?.id ?? null;
  }

  async sourceParticipantOf(episodeId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ participant_id: string | null }>(
      'SELECT participant_id FROM episodes WHERE id = $1',
      [episodeId],
    );
    return row?.participant_id ?? null;
  }

  async beginTwin(liveEpisodeId: string, summary: EpisodeSummary): Promise<{ twin: EpisodeSummary; created: boolean }> {
    return this.db.transaction(async (client) => {
      // The live episode's row locked: the research worker and the server asking at once make one twin, not two.
      await client.query('SELECT 1 FROM episodes WHERE id = $1 FOR UPDATE', [liveEpisodeId]);
      const [existing] = (
        await client.query<EpisodeRow>(
          'SELECT * FROM episodes WHERE twin_of = $1 ORDER BY started_at COLLATE "C" LIMIT 1',
          [liveEpisodeId],
        )
      ).rows;
      if (existing) return { twin: episodeRowToSummary(existing), created: false };
      await insertEpisodeRow(client, summary);
      await linkTwin(client, liveEpisodeId, summary.id);
      return { twin: summary, created: true };
    });
  }

  async saveTwin(liveEpisodeId: string, summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
    await this.db.transaction(async (client) => {
      await insertEpisodeRow(client, summary);
      await insertEvents(client, summary.id, events);
      await linkTwin(client, liveEpisodeId, summary.id);
    });
  }

  async twinsOf(liveEpisodeId: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      'SELECT id FROM episodes WHERE twin_of = $1 ORDER BY started_at COLLATE "C"',
      [liveEpisodeId],
    );
    return rows.map((r) => r.id);
  }

  async listLive(filter: LiveListFilter): Promise<LiveEpisodeInfo[]> {
    const { sql, params } = liveListQuery(filter, (n) => `$${n}`, 'started_at COLLATE "C"');
    const rows = await this.db.rows<LiveEpisodeRow>(sql, params);
    return rows.map(toLiveEpisodeInfo);
  }

  async countLive(filter: LiveListFilter): Promise<number> {
    const { sql, params } = liveCountQuery(filter, (n) => `$${n}`);
    return Number((await this.db.rows<{ n: string }>(sql, params))[0]?.n ?? 0);
  }

  tally(studyId: string, maxFailures: number): Promise<LiveTally> {
    return liveTally(this.db, studyId, maxFailures);
  }

  activity(episodeIds: readonly string[]): Promise<Map<string, LiveActivity>> {
    return liveActivity(this.db, episodeIds);
  }

  async units(
    studyId: string,
    page: { offset: number; limit: number },
  ): Promise<{ total: number; episodes: LiveEpisodeInfo[] }> {
    const { list, count } = liveUnitsQueries(
      studyId,
      page,
      (n) => `$${n}`,
      (column) => `${column} COLLATE "C"`,
    );
    const [rows, counted] = await Promise.all([
      this.db.rows<LiveEpisodeRow>(list.sql, list.params),
      this.db.rows<{ n: string }>(count.sql, count.params),
    ]);
    return { total: Number(counted[0]?.n ?? 0), episodes: rows.map(toLiveEpisodeInfo) };
  }
}
