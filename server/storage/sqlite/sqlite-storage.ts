import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { LibraryPersona, Persona } from '../../../shared/schemas/persona.ts';
import type { ImportOutcome, RecordSummary, Study } from '../../../shared/schemas/study.ts';
import type { ImportBenchmarkInput, Page, Storage, StudyCounts } from '../storage.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary, RunInput } from '../episode-storage.ts';
import * as episodes from './episode-queries.ts';
import * as personaQueries from './persona-queries.ts';
import * as studies from './study-queries.ts';
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
import { importBenchmark } from './import-benchmark-queries.ts';
import { removeUnfinishedImports } from './import-discard-queries.ts';
import { RecordReads } from './record-reads.ts';
import { asDatabaseError } from '../errors.ts';
import { BUSY_WAIT_MS, retryingOnBusy, type LockWait } from './busy-retry.ts';

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

  private constructor(db: Database.Database, lockWait: LockWait) {
    this.db = db;
    this.records = new RecordReads(db);
    const retrying = <T extends object>(part: T): T => retryingOnBusy(part, [], lockWait);
    this.people = retrying(new SqlitePeopleStorage(db));
    this.live = retrying(new SqliteLiveStorage(db));
    this.work = retrying(new SqliteStudyWorkStorage(db));
    this.research = retrying(new SqliteResearchStorage(db));
    this.serverLease = retrying(new SqliteServerLeaseStorage(db));
    this.nodes = retrying(new SqliteNodeStorage(db));
    this.jobs = retrying(new SqliteJobStorage(db));
    this.deletions = retrying(new SqliteParticipantDeletionStorage(db));
    this.consent = retrying(new SqliteConsentStorage(db));
    this.access = retrying(new SqliteStudyAccessStorage(db));
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
    const lockWait = options.lockWait ?? 'block';
    const storage = new SqliteStorage(db, lockWait);
    if (options.backgroundCheckpoint && options.file !== ':memory:') {
      db.pragma('wal_autocheckpoint = 0');
      storage.checkpointer = startWalCheckpointer(options.file, () => {
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
      });
    }
    return retryingOnBusy(storage, ['importBenchmark', 'close'], lockWait);
  }

  async createStudy(input: { name: string; description?: string }): Promise<Study> {
    return studies.createStudy(this.db, input);
  }

  async getStudy(id: string): Promise<Study | null> {
    return studies.getStudy(this.db, id);
  }

  async findStudyByName(name: string): Promise<Study | null> {
    return studies.findStudyByName(this.db, name);
  }

  async listStudies(): Promise<StudyCounts[]> {
    return studies.listStudies(this.db);
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
    return studies.listRecords(this.db, studyId, page);
  }

  async getRecord(studyId: string, problemId: string): Promise<BenchmarkRecord | null> {
    return this.records.get(studyId, problemId);
  }

  async syncPersonaLibrary(personas: LibraryPersona[]): Promise<{ added: number; updated: number; unchanged: number }> {
    return personaQueries.syncPersonaLibrary(this.db, personas);
  }

  async listLibraryPersonas(): Promise<LibraryPersona[]> {
    return personaQueries.listLibraryPersonas(this.db);
  }

  async getPersona(id: string): Promise<Persona | null> {
    return personaQueries.getPersona(this.db, id);
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
