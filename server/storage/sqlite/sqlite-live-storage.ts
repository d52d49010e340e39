import type Database from 'better-sqlite3';
import { EpisodeEventSchema, type EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeStatus, EpisodeSummary } from '../episode-storage.ts';
import type { LiveEpisodeInfo, LiveEpisodeStorage } from '../live-storage.ts';
import { episodeRowToSummary, toLiveEpisodeInfo, type EpisodeRow, type LiveEpisodeRow } from '../rows/episode-rows.ts';
import { saveEpisode } from './episode-queries.ts';
import { cachedStatement } from './statement-cache.ts';
import { AppError } from '../../../shared/errors.ts';

interface QueuedAppend {
  episodeId: string;
  event: EpisodeEvent;
  resolve(result: { seq: number; duplicate: boolean }): void;
  reject(error: unknown): void;
}

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
  append(episodeId: string, event: EpisodeEvent): Promise<{ seq: number; duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.queued.push({ episodeId, event, resolve, reject });
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
    const outcomes: ({ ok: true; value: { seq: number; duplicate: boolean } } | { ok: false; error: unknown })[] = [];
    try {
      // IMMEDIATE: the write lock is taken at BEGIN, or not at all. Deferred, a reply's first statement (a read) would
      // start the transaction, and its insert would then meet another connection's lock without SQLite's busy handler:
      // it failed at once, alone, while later appends of the batch could still commit.
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: this.appendNow(item.episodeId, item.event) });
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

  async finish(
    episodeId: string,
    f: {
      status: EpisodeStatus;
      weightedScore: number | null;
      correct: 0 | 1 | null;
      interactionTurns: number | null;
      failure: { stage: string; reason: string } | null;
    },
  ): Promise<void> {
    cachedStatement(
      this.db,
      `UPDATE episodes SET status = ?, weighted_score = ?, correct = ?, interaction_turns = ?, failure_stage = ?, failure_reason = ?, ended_at = ?
       WHERE id = ?`,
    ).run(
      f.status,
      f.weightedScore,
      f.correct,
      f.interactionTurns,
      f.failure?.stage ?? null,
      f.failure?.reason ?? null,
      new Date().toISOString(),
      episodeId,
    );
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
    // IMMEDIATE: the research worker's connection and the server's may both ask; the check and the insert are one step.
    return this.db
      .transaction(() => {
        const existing = cachedStatement(
          this.db,
          'SELECT * FROM episodes WHERE twin_of = ? ORDER BY started_at LIMIT 1',
        ).get(liveEpisodeId) as EpisodeRow | undefined;
        if (existing) return { twin: episodeRowToSummary(existing), created: false };
        saveEpisode(this.db, summary, []);
        cachedStatement(
          this.db,
          'UPDATE episodes SET twin_of = ?, study_id = (SELECT study_id FROM episodes WHERE id = ?) WHERE id = ?',
        ).run(liveEpisodeId, liveEpisodeId, summary.id);
        return { twin: summary, created: true };
      })
      .immediate();
  }

  async saveTwin(liveEpisodeId: string, summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
    this.db.transaction(() => {
      saveEpisode(this.db, summary, events);
      cachedStatement(
        this.db,
        'UPDATE episodes SET twin_of = ?, study_id = (SELECT study_id FROM episodes WHERE id = ?) WHERE id = ?',
      ).run(liveEpisodeId, liveEpisodeId, summary.id);
    })();
  }

  async twinsOf(liveEpisodeId: string): Promise<string[]> {
    return cachedStatement(this.db, 'SELECT id FROM episodes WHERE twin_of = ? ORDER BY started_at')
      .pluck()
      .all(liveEpisodeId) as string[];
  }

  async listLive(filter: { studyId?: string; status?: EpisodeStatus }): Promise<LiveEpisodeInfo[]> {
    const rows = cachedStatement(
      this.db,
      `SELECT * FROM episodes WHERE participant_id IS NOT NULL AND (? IS NULL OR study_id = ?) AND (? IS NULL OR status = ?) ORDER BY started_at DESC LIMIT 1000`,
    ).all(
      filter.studyId ?? null,
      filter.studyId ?? null,
      filter.status ?? null,
      filter.status ?? null,
    ) as LiveEpisodeRow[];
    return rows.map(toLiveEpisodeInfo);
  }
}
