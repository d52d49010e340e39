import { PgDatabase } from './pg-database.ts';
import { applyPostgresMigrations } from './migrate.ts';
import { PostgresCoreStorage } from './postgres-core-storage.ts';
import { PostgresConsentStorage } from './postgres-consent-storage.ts';
import { PostgresJobStorage } from './postgres-job-storage.ts';
import { PostgresLiveStorage } from './postgres-live-storage.ts';
import { PostgresParticipantDeletionStorage } from './postgres-participant-deletion-storage.ts';
import { PostgresPeopleStorage } from './postgres-people-storage.ts';
import { PostgresResearchStorage } from './postgres-research-storage.ts';
import { PostgresServerLeaseStorage } from './postgres-server-lease-storage.ts';
import { PostgresNodeStorage } from './postgres-node-storage.ts';
import { PostgresStudyAccessStorage } from './postgres-study-access-storage.ts';
import { PostgresStudyWorkStorage } from './postgres-study-work-storage.ts';
import type { Storage } from '../storage.ts';

export interface PostgresStorageOptions {
  /** A libpq connection URL (postgresql://user@host:port/database). */
  url: string;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

/**
 * Opens the database and applies pending migrations (under the migration lock, so processes starting together apply
 * each once). Throws MigrationError if one fails; the pool is closed again on any failure.
 */
export async function openMigratedDatabase(options: PostgresStorageOptions): Promise<PgDatabase> {
  const db = new PgDatabase(options.url, { max: options.maxConnections });
  try {
    const client = await db.pool.connect();
    try {
      await applyPostgresMigrations(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/**
 * Storage on one PostgreSQL database (issue 19): the core methods (postgres-core-storage.ts) and one object per part
 * (postgres-<part>-storage.ts), all on one pool. Selected by PREFDISCO_DATABASE_URL (server/open-storage.ts).
 */
export class PostgresStorage extends PostgresCoreStorage implements Storage {
  readonly serverLease: PostgresServerLeaseStorage;
  readonly nodes: PostgresNodeStorage;
  readonly jobs: PostgresJobStorage;
  readonly people: PostgresPeopleStorage;
  readonly consent: PostgresConsentStorage;
  readonly access: PostgresStudyAccessStorage;
  readonly live: PostgresLiveStorage;
  readonly research: PostgresResearchStorage;
  readonly work: PostgresStudyWorkStorage;
  readonly deletions: PostgresParticipantDeletionStorage;

  private constructor(db: PgDatabase) {
    super(db);
    this.serverLease = new PostgresServerLeaseStorage(db);
    this.nodes = new PostgresNodeStorage(db);
    this.jobs = new PostgresJobStorage(db);
    this.people = new PostgresPeopleStorage(db);
    this.consent = new PostgresConsentStorage(db);
    this.access = new PostgresStudyAccessStorage(db);
    this.live = new PostgresLiveStorage(db);
    this.research = new PostgresResearchStorage(db);
    this.work = new PostgresStudyWorkStorage(db);
    this.deletions = new PostgresParticipantDeletionStorage(db);
  }

  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    return new PostgresStorage(await openMigratedDatabase(options));
  }
}
