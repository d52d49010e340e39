import { PgDatabase } from './pg-database.ts';
import { applyPostgresMigrations } from './migrate.ts';
import { PostgresCoreStorage } from './postgres-core-storage.ts';
import { PostgresConsentStorage } from './postgres-consent-storage.ts';
import { PostgresJobStorage } from './postgres-job-storage.ts';
import { PostgresLiveStorage } from './postgres-live-storage.ts';
import { PostgresPeopleStorage } from './postgres-people-storage.ts';
import { PostgresResearchStorage } from './postgres-research-storage.ts';
import { PostgresServerLeaseStorage } from './postgres-server-lease-storage.ts';
import { PostgresStudyAccessStorage } from './postgres-study-access-storage.ts';

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
 * Storage on one PostgreSQL database (issue 19), being built part by part: the core methods and the parts finished
 * so far. It will declare `implements Storage` once every part exists; until then services cannot be given one.
 */
export class PostgresStorage extends PostgresCoreStorage {
  readonly serverLease: PostgresServerLeaseStorage;
  readonly jobs: PostgresJobStorage;
  readonly people: PostgresPeopleStorage;
  readonly consent: PostgresConsentStorage;
  readonly access: PostgresStudyAccessStorage;
  readonly live: PostgresLiveStorage;
  readonly research: PostgresResearchStorage;

  private constructor(db: PgDatabase) {
    super(db);
    this.serverLease = new PostgresServerLeaseStorage(db);
    this.jobs = new PostgresJobStorage(db);
    this.people = new PostgresPeopleStorage(db);
    this.consent = new PostgresConsentStorage(db);
    this.access = new PostgresStudyAccessStorage(db);
    this.live = new PostgresLiveStorage(db);
    this.research = new PostgresResearchStorage(db);
  }

  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    return new PostgresStorage(await openMigratedDatabase(options));
  }
}
