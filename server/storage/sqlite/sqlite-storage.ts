import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { LibraryPersona, Persona } from '../../../shared/schemas/persona.ts';
import type { ImportOutcome, RecordSummary, Study } from '../../../shared/schemas/study.ts';
import type { ImportBenchmarkInput, Page, Storage, StudyCounts } from '../storage.ts';
import { cachedStatement } from './statement-cache.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary, RunInput } from '../episode-storage.ts';
import * as episodes from './episode-queries.ts';
import { SqliteLiveStorage } from './sqlite-live-storage.ts';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.ts';
import { applyMigrations } from './migrate.ts';
import { SqlitePeopleStorage } from './sqlite-people-storage.ts';
import { SqliteStudyWorkStorage } from './sqlite-study-work-storage.ts';
import { SqliteResearchStorage } from './sqlite-research-storage.ts';
import { SqliteServerLeaseStorage } from './sqlite-server-lease-storage.ts';
import { SqliteNodeStorage } from './sqlite-node-storage.ts';
import { SqliteJobStorage } from './sqlite-job-storage.ts';
import { SqliteParticipantDeletionStorage } from './sqlite-participant-deletion-storage.ts';
import { SqliteConsentStorage } from './sqlite-consent-storage.ts';
import { SqliteStudyAccessStorage } from './sqlite-study-access-storage.ts';
import { importBenchmark, sha256 } from './import-benchmark-queries.ts';
import { removeUnfinishedImports } from './import-discard-queries.ts';
import { RecordReads } from './record-reads.ts';
import { AppError } from '../../../shared/errors.ts';
import { asDatabaseError } from '../errors.ts';
import { BUSY_WAIT_MS, retryingOnBusy, type LockWait } from './busy-retry.ts';

interface StudyRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
}

function toStudy(row: StudyRow): Study {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at };
}

export interface SqliteStorageOptions {
  /** Path of the database file, or ':memory:'. */
  file: string;
  /** 'NORMAL' (default) loses at most the last transactions on power loss under WAL; 'FULL' fsyncs every commit. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Checkpoint the WAL from a worker thread instead of on the committing thread (the server; see wal-checkpointer.ts). */
  backgroundCheckpoint?: boolean;
  /** How a method waits for another connection's write lock (busy-retry.ts): 'block' (default) or 'yield' (the server's event loop). */
  lockWait?: LockWait;
}

/**
 * Storage on one SQLite file (better-sqlite3, WAL). better-sqlite3 is synchronous: every method does its work in one
 * synchronous transaction (or one statement), so no transaction ever spans an `await`, and a method that met another
 * connection's write lock stored nothing and can simply run again (busy-retry.ts; `importBenchmark`, which commits in
 * chunks, is the exception and is never retried).
 */
export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  readonly people: SqlitePeopleStorage;
  readonly live: SqliteLiveStorage;
  readonly work: SqliteStudyWorkStorage;
  readonly research: SqliteResearchStorage;
  readonly serverLease: SqliteServerLeaseStorage;
  readonly nodes: SqliteNodeStorage;
  readonly jobs: SqliteJobStorage;
  readonly deletions: SqliteParticipantDeletionStorage;
  readonly consent: SqliteConsentStorage;
  readonly access: SqliteStudyAccessStorage;

  private checkpointer: WalCheckpointer | null = null;
  private readonly records: RecordReads;

  private constructor(db: Database.Database) {
    this.db = db;
    this.records = new RecordReads(db);
    this.people = retryingOnBusy(new SqlitePeopleStorage(db));
    this.live = retryingOnBusy(new SqliteLiveStorage(db));
    this.work = retryingOnBusy(new SqliteStudyWorkStorage(db));
    this.research = retryingOnBusy(new SqliteResearchStorage(db));
    this.serverLease = retryingOnBusy(new SqliteServerLeaseStorage(db));
    this.nodes = retryingOnBusy(new SqliteNodeStorage(db));
    this.jobs = retryingOnBusy(new SqliteJobStorage(db));
    this.deletions = retryingOnBusy(new SqliteParticipantDeletionStorage(db));
    this.consent = retryingOnBusy(new SqliteConsentStorage(db));
    this.access = retryingOnBusy(new SqliteStudyAccessStorage(db));
  }

  /**
   * Opens (creating if needed) the database and applies pending migrations. Throws DatabaseUnusableError (one line:
   * what is wrong, what to do) for a full disk, a damaged file, no write permission or no folder; MigrationError if a
   * migration fails otherwise.
   */
  static open(options: SqliteStorageOptions): SqliteStorage {
    let db: Database.Database | null = null;
    try {
      if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
      db = new Database(options.file);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      // Migrations wait like any tool; a serving loop stops sleeping inside SQLite once they are applied.
      db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
      applyMigrations(db);
      if (options.lockWait === 'yield') db.pragma('busy_timeout = 0');
    } catch (error) {
      db?.close();
      throw asDatabaseError(options.file, error);
    }
    const storage = new SqliteStorage(db);
    if (options.backgroundCheckpoint && options.file !== ':memory:') {
      db.pragma('wal_autocheckpoint = 0');
      storage.checkpointer = startWalCheckpointer(options.file, () => {
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
      });
    }
    return retryingOnBusy(storage, ['importBenchmark', 'close']);
  }

  async createStudy(input: { name: string; description?: string }): Promise<Study> {
    const row: StudyRow = {
      id: randomUUID(),
      name: input.name,
      description: input.description ?? '',
      created_at: new Date().toISOString(),
    };
    try {
      this.db
        .prepare(
          'INSERT INTO studies (id, name, description, created_at) VALUES (@id, @name, @description, @created_at)',
        )
        .run(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new AppError('conflict', `a study named "${input.name}" already exists`);
      }
      throw error;
    }
    return toStudy(row);
  }

  async getStudy(id: string): Promise<Study | null> {
    const row = cachedStatement(this.db, 'SELECT * FROM studies WHERE id = ?').get(id) as StudyRow | undefined;
    return row ? toStudy(row) : null;
  }

  async findStudyByName(name: string): Promise<Study | null> {
    const row = this.db.prepare('SELECT * FROM studies WHERE name = ?').get(name) as StudyRow | undefined;
    return row ? toStudy(row) : null;
  }

  async listStudies(): Promise<StudyCounts[]> {
    const rows = this.db
      .prepare(
        `SELECT s.*,
           (SELECT COUNT(*) FROM visible_records r WHERE r.study_id = s.id) AS record_count,
           (SELECT COUNT(DISTINCT persona_id) FROM visible_records r WHERE r.study_id = s.id) AS persona_count,
           (SELECT COUNT(*) FROM benchmark_files f WHERE f.study_id = s.id AND f.status = 'done') AS file_count
         FROM studies s ORDER BY s.created_at, s.name`,
      )
      .all() as (StudyRow & { record_count: number; persona_count: number; file_count: number })[];
    return rows.map((r) => ({
      ...toStudy(r),
      recordCount: r.record_count,
      personaCount: r.persona_count,
      fileCount: r.file_count,
    }));
  }

  async importBenchmark(input: ImportBenchmarkInput): Promise<ImportOutcome> {
    const outcome = await importBenchmark(this.db, input);
    // One import can be hundreds of MB of pages in the WAL, and the WAL file never shrinks by itself.
    if (outcome.recordsAdded > 0) await this.truncateWal();
    return outcome;
  }

  async removeUnfinishedImports(): Promise<number> {
    return removeUnfinishedImports(this.db);
  }

  async listRecords(studyId: string, page: { offset: number; limit: number }): Promise<Page<RecordSummary>> {
    const total = this.db
      .prepare('SELECT COUNT(*) FROM visible_records WHERE study_id = ?')
      .pluck()
      .get(studyId) as number;
    const rows = this.db
      .prepare(
        `SELECT problem_id, persona_id, persona_name, task, question_preview, preference_count, criterion_count
         FROM visible_records WHERE study_id = ? ORDER BY file_id, line LIMIT ? OFFSET ?`,
      )
      .all(studyId, page.limit, page.offset) as {
      problem_id: string;
      persona_id: string;
      persona_name: string;
      task: string;
      question_preview: string;
      preference_count: number;
      criterion_count: number;
    }[];
    return {
      total,
      items: rows.map((r) => ({
        problemId: r.problem_id,
        personaId: r.persona_id,
        personaName: r.persona_name,
        task: r.task,
        question: r.question_preview,
        preferenceCount: r.preference_count,
        criterionCount: r.criterion_count,
      })),
    };
  }

  async getRecord(studyId: string, problemId: string): Promise<BenchmarkRecord | null> {
    return this.records.get(studyId, problemId);
  }

  async syncPersonaLibrary(personas: LibraryPersona[]): Promise<{ added: number; updated: number; unchanged: number }> {
    const result = { added: 0, updated: 0, unchanged: 0 };
    const current = this.db.prepare('SELECT sha256 FROM persona_library WHERE persona_id = ?').pluck();
    const insertPersona = this.db.prepare(
      'INSERT OR IGNORE INTO personas (id, sha256, json, created_at) VALUES (?, ?, ?, ?)',
    );
    const upsert = this.db.prepare(
      'INSERT INTO persona_library (persona_id, sha256) VALUES (?, ?) ON CONFLICT(persona_id) DO UPDATE SET sha256 = excluded.sha256',
    );
    this.db.transaction(() => {
      const now = new Date().toISOString();
      for (const persona of personas) {
        const json = JSON.stringify(persona);
        const sha = sha256(json);
        const was = current.get(persona.id) as string | undefined;
        if (was === sha) {
          result.unchanged += 1;
          continue;
        }
        insertPersona.run(persona.id, sha, json, now);
        upsert.run(persona.id, sha);
        if (was === undefined) result.added += 1;
        else result.updated += 1;
      }
    })();
    return result;
  }

  async listLibraryPersonas(): Promise<LibraryPersona[]> {
    const rows = this.db
      .prepare(
        'SELECT p.json FROM persona_library l JOIN personas p ON p.id = l.persona_id AND p.sha256 = l.sha256 ORDER BY l.persona_id',
      )
      .pluck()
      .all() as string[];
    return rows.map((json) => JSON.parse(json) as LibraryPersona);
  }

  async getPersona(id: string): Promise<Persona | null> {
    const library = this.db
      .prepare(
        'SELECT p.json FROM persona_library l JOIN personas p ON p.id = l.persona_id AND p.sha256 = l.sha256 WHERE l.persona_id = ?',
      )
      .pluck()
      .get(id) as string | undefined;
    const json =
      library ??
      (this.db
        .prepare('SELECT json FROM personas WHERE id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
        .pluck()
        .get(id) as string | undefined);
    return json === undefined ? null : (JSON.parse(json) as Persona);
  }

  async createRun(input: RunInput): Promise<{ id: string }> {
    return episodes.createRun(this.db, input);
  }

  async saveEpisode(summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
    episodes.saveEpisode(this.db, summary, events);
  }

  async getEpisode(id: string): Promise<{ summary: EpisodeSummary; events: EpisodeEvent[] } | null> {
    return episodes.getEpisode(this.db, id);
  }

  async listEpisodes(filter: { runId?: string; limit?: number; offset?: number }): Promise<EpisodeSummary[]> {
    return episodes.listEpisodes(this.db, filter);
  }

  async countEpisodes(filter: { runId?: string }): Promise<number> {
    return episodes.countEpisodes(this.db, filter);
  }

  async abortUnrecordedEpisodes(runId: string, recorded: readonly string[], reason: string): Promise<number> {
    return episodes.abortUnrecordedEpisodes(this.db, runId, recorded, reason);
  }

  /**
   * Copies the whole WAL into the database and empties the -wal file. On the checkpoint worker when there is one (the
   * server's event loop keeps serving while the pages are copied), else here. Never fails the write that asked for
   * it: the data is committed either way, and a checkpoint held back by readers is retried later.
   */
  private async truncateWal(): Promise<void> {
    // Busy on the worker means readers hold the WAL: retrying here would only block the event loop on them.
    const onWorker = (await this.checkpointer?.truncate()) ?? 'unavailable';
    if (onWorker !== 'unavailable') return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy past busy_timeout: the background or automatic checkpoints catch up.
    }
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = null;
    if (this.db.open) {
      // Events queued for the next group commit are stored, not dropped: this last, synchronous commit may wait.
      this.db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
      this.live.flushAppends();
      this.db.close();
    }
  }
}
