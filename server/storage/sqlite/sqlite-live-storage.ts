import type Database from 'better-sqlite3';
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
import { toLiveEpisodeInfo, type LiveEpisodeRow } from '../rows/episode-rows.ts';
import { saveEpisode } from './episode-queries.ts';
import { cachedStatement } from './statement-cache.ts';
import { liveActivity, liveTally, liveUnits } from './live-monitor-queries.ts';
import { beginTwin, saveTwin, twinsOf } from './twin-queries.ts';
import { AppError } from '../../../shared/errors.ts';

interface QueuedAppend {
  episodeId: string;
  events: readonly EpisodeEvent[];
  /** The node that must own the episode for the events to be stored (appendOwned); null: no check (append). */
  owner: string | null;
  resolve(result: OwnedAppend): void;
  reject(error: unknown): void;
}

const NOT_OWNER: NotOwner = { stored: false, reason: 'not_owner' };

/** LiveEpisodeStorage on SQLite; each method is one synchronous transaction, appends one per event-loop turn. */
export class SqliteLiveStorage implements LiveEpisodeStorage {
  /** Appends waiting for the next group commit (see `append`). */
  private queued: QueuedAppend[] = [];
  private commitScheduled = false;

  constructor(private readonly db: Database.Database) {}

  async begin(info: LiveEpisodeInfo): Promise<void> {
    this.db.transaction(() => {
      saveEpisode(this.db, info.summary, []);
      cachedStatement(
        this.db,
        'UPDATE episodes SET study_id = ?, participant_id = ?, assignment_id = ?, spec_json = ? WHERE id = ?',
      ).run(info.studyId, info.participantId, info.assignmentId, JSON.stringify(info.spec), info.summary.id);
    })();
  }

  /**
   * Stores one event; resolves once it is committed. Appends made in the same turn of the event loop (many live
   * episodes at once) are committed together in one transaction. Why: a commit is a WAL write, and under live load a
   * commit per event was the largest storage cost. Nothing resolves before its commit, so an acknowledged event is
   * stored. One append failing (a seq conflict) fails only itself: SQLite backs out just the failing statement, and an
   * append's second insert cannot fail once its first has succeeded (its client id was checked in the same
   * transaction), so no savepoint per append is needed. An error that ends the transaction fails the whole batch.
   */
  async append(episodeId: string, event: EpisodeEvent): Promise<{ seq: number; duplicate: boolean }> {
    const outcome = await this.enqueue(episodeId, [event], null);
    // Unreachable without an owner to check; typed so rather than asserted.
    if (!outcome.stored || !outcome.results[0]) throw new AppError('conflict', `episode ${episodeId}: not stored`);
    return outcome.results[0];
  }

  /**
   * The group goes into the same group commit as `append`s. On the one server of an SQLite database the owner row is
   * always this process's (it takes its episodes at start), so the check never refuses in service; it is made all the
   * same, so both engines keep one contract.
   */
  appendOwned(episodeId: string, events: readonly EpisodeEvent[], owner: string): Promise<OwnedAppend> {
    return this.enqueue(episodeId, events, owner);
  }

  private enqueue(episodeId: string, events: readonly EpisodeEvent[], owner: string | null): Promise<OwnedAppend> {
    return new Promise((resolve, reject) => {
      this.queued.push({ episodeId, events, owner, resolve, reject });
      if (this.commitScheduled) return;
      this.commitScheduled = true;
      setImmediate(() => this.commitQueued());
    });
  }

  private commitQueued(): void {
    this.commitScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: OwnedAppend } | { ok: false; error: unknown })[] = [];
    try {
      // IMMEDIATE: the write lock is taken at BEGIN, or not at all. Deferred, a reply's first statement (a read) would
      // start the transaction, and its insert would then meet another connection's lock without SQLite's busy handler:
      // it failed at once, alone, while later appends of the batch could still commit.
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: this.appendGroup(item) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (or the lock was busy): nothing of the batch is stored; busy ones are retried.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  /** Commits what is queued now (the database is about to close). */
  flushAppends(): void {
    this.commitQueued();
  }

  /** One queued group inside the batch's transaction: the owner checked once, then its events. */
  private appendGroup(item: QueuedAppend): OwnedAppend {
    if (item.owner !== null && !this.owns(item.episodeId, item.owner)) return NOT_OWNER;
    if (item.events.length === 1 && item.events[0])
      return { stored: true, results: [this.appendNow(item.episodeId, item.events[0])] };
    // Several events: a savepoint (a nested transaction), so a conflict on a later one takes the earlier ones back.
    const results = this.db.transaction(() => item.events.map((e) => this.appendNow(item.episodeId, e)))();
    return { stored: true, results };
  }

  private owns(episodeId: string, node: string): boolean {
    return (
      cachedStatement(this.db, 'SELECT 1 FROM live_episode_owners WHERE episode_id = ? AND node = ?').get(
        episodeId,
        node,
      ) !== undefined
    );
  }

  private appendNow(episodeId: string, event: EpisodeEvent): { seq: number; duplicate: boolean } {
    const clientId = event.type === 'message' ? event.clientMessageId : undefined;
    if (clientId !== undefined) {
      const seq = cachedStatement(
        this.db,
        'SELECT seq FROM episode_client_messages WHERE episode_id = ? AND client_message_id = ?',
      )
        .pluck()
        .get(episodeId, clientId) as number | undefined;
      if (seq !== undefined) return { seq, duplicate: true };
    }
    try {
      cachedStatement(this.db, 'INSERT INTO episode_events (episode_id, seq, type, json) VALUES (?, ?, ?, ?)').run(
        episodeId,
        event.seq,
        event.type,
        JSON.stringify(event),
      );
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new AppError('conflict', `episode ${episodeId} already has an event ${event.seq}, or does not exist`);
      }
      throw error;
    }
    if (clientId !== undefined) {
      cachedStatement(
        this.db,
        'INSERT INTO episode_client_messages (episode_id, client_message_id, seq) VALUES (?, ?, ?)',
      ).run(episodeId, clientId, event.seq);
    }
    return { seq: event.seq, duplicate: false };
  }

  async findClientMessage(episodeId: string, clientMessageId: string): Promise<number | null> {
    const seq = cachedStatement(
      this.db,
      'SELECT seq FROM episode_client_messages WHERE episode_id = ? AND client_message_id = ?',
    )
      .pluck()
      .get(episodeId, clientMessageId) as number | undefined;
    return seq ?? null;
  }

  async eventsAfter(episodeId: string, afterSeq: number): Promise<EpisodeEvent[]> {
    return (
      cachedStatement(this.db, 'SELECT json FROM episode_events WHERE episode_id = ? AND seq > ? ORDER BY seq')
        .pluck()
        .all(episodeId, afterSeq) as string[]
    ).map((json) => EpisodeEventSchema.parse(JSON.parse(json)));
  }

  async finish(episodeId: string, f: LiveEpisodeEnd, owner?: string): Promise<{ stored: true } | NotOwner> {
    const changed = cachedStatement(
      this.db,
      `UPDATE episodes SET status = ?, weighted_score = ?, correct = ?, interaction_turns = ?, failure_stage = ?, failure_reason = ?, ended_at = ?
       WHERE id = ? AND (? IS NULL OR EXISTS (SELECT 1 FROM live_episode_owners WHERE episode_id = ? AND node = ?))`,
    ).run(
      f.status,
      f.weightedScore,
      f.correct,
      f.interactionTurns,
      f.failure?.stage ?? null,
      f.failure?.reason ?? null,
      new Date().toISOString(),
      episodeId,
      owner ?? null,
      episodeId,
      owner ?? null,
    ).changes;
    return owner !== undefined && changed === 0 ? NOT_OWNER : { stored: true };
  }

  async get(episodeId: string): Promise<LiveEpisodeInfo | null> {
    const row = cachedStatement(this.db, 'SELECT * FROM episodes WHERE id = ? AND participant_id IS NOT NULL').get(
      episodeId,
    ) as LiveEpisodeRow | undefined;
    return row ? toLiveEpisodeInfo(row) : null;
  }

  async running(): Promise<LiveEpisodeInfo[]> {
    return (
      cachedStatement(
        this.db,
        "SELECT * FROM episodes WHERE status = 'running' AND participant_id IS NOT NULL ORDER BY started_at",
      ).all() as LiveEpisodeRow[]
    ).map(toLiveEpisodeInfo);
  }

  async runningFor(participantId: string): Promise<string | null> {
    const id = cachedStatement(
      this.db,
      `SELECT e.id FROM episodes e
       WHERE e.participant_id = ? AND e.status = 'running'
         AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated')
       ORDER BY e.started_at DESC LIMIT 1`,
    )
      .pluck()
      .get(participantId) as string | undefined;
    return id ?? null;
  }

  async awaitingRatingFor(participantId: string): Promise<string | null> {
    const id = cachedStatement(
      this.db,
      `SELECT e.id FROM episodes e
       WHERE e.participant_id = ? AND e.status = 'completed' AND e.twin_of IS NULL
         AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated')
       ORDER BY e.started_at DESC LIMIT 1`,
    )
      .pluck()
      .get(participantId) as string | undefined;
    return id ?? null;
  }

  async sourceParticipantOf(episodeId: string): Promise<string | null> {
    const id = cachedStatement(this.db, 'SELECT participant_id FROM episodes WHERE id = ?').pluck().get(episodeId) as
      string | null | undefined;
    return id ?? null;
  }

  async beginTwin(liveEpisodeId: string, summary: EpisodeSummary): Promise<{ twin: EpisodeSummary; created: boolean }> {
    return beginTwin(this.db, liveEpisodeId, summary);
  }

  async saveTwin(liveEpisodeId: string, summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
    saveTwin(this.db, liveEpisodeId, summary, events);
  }

  async twinsOf(liveEpisodeId: string): Promise<string[]> {
    return twinsOf(this.db, liveEpisodeId);
  }

  async listLive(filter: LiveListFilter): Promise<LiveEpisodeInfo[]> {
    const { sql, params } = liveListQuery(filter, () => '?', 'started_at');
    const rows = cachedStatement(this.db, sql).all(...params) as LiveEpisodeRow[];
    return rows.map(toLiveEpisodeInfo);
  }

  async countLive(filter: LiveListFilter): Promise<number> {
    const { sql, params } = liveCountQuery(filter, () => '?');
    return (cachedStatement(this.db, sql).get(...params) as { n: number }).n;
  }

  async tally(studyId: string, maxFailures: number): Promise<LiveTally> {
    return liveTally(this.db, studyId, maxFailures);
  }

  async activity(episodeIds: readonly string[]): Promise<Map<string, LiveActivity>> {
    return liveActivity(this.db, episodeIds);
  }

  async units(
    studyId: string,
    page: { offset: number; limit: number },
  ): Promise<{ total: number; episodes: LiveEpisodeInfo[] }> {
    return liveUnits(this.db, studyId, page);
  }
}
