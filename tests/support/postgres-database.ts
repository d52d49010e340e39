import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { applyPostgresMigrations } from '../../server/storage/postgres/migrate.ts';
import {
  createDatabase,
  dropDatabases,
  POSTGRES_SKIP_REASON,
  postgresInstalled,
  startPostgresCluster,
  type PostgresCluster,
  type PostgresClusterAddress,
} from './postgres-cluster.ts';
import './postgres-global-setup.ts';

/**
 * The name of a suite that needs PostgreSQL, for `describe.skipIf(!postgresInstalled)(needsPostgres('…'), …)`: it
 * says so, and when the suite is skipped it says why.
 */
export function needsPostgres(name: string): string {
  return postgresInstalled ? `${name} (needs PostgreSQL)` : `${name} (needs PostgreSQL; ${POSTGRES_SKIP_REASON})`;
}

export interface PostgresForFile {
  /** The cluster (valid inside tests and hooks). */
  address(): PostgresClusterAddress;
  /** A fresh empty database on it, dropped after the file; `template` copies a prepared one instead. */
  database(options?: { template?: string }): Promise<{ name: string; url: string }>;
  /**
   * A fresh database with every migration applied: a copy of a template migrated once per file (about half the time
   * of migrating an empty database, measured at 001-018).
   */
  migratedDatabase(): Promise<{ name: string; url: string }>;
}

/**
 * PostgreSQL for one test file, inside a `describe.skipIf(!postgresInstalled)`: the run's cluster from the global
 * setup (tests/support/postgres-global-setup.ts), or, when the file runs in a project without it, a cluster of the
 * file's own. Every database it made is dropped after the file, also when a test failed.
 */
export function usePostgres(): PostgresForFile {
  let address: PostgresClusterAddress | null = null;
  let own: PostgresCluster | null = null;
  let template: Promise<string> | null = null;
  const made: string[] = [];
  beforeAll(async () => {
    address = inject('postgresCluster') ?? null;
    if (!address) {
      own = await startPostgresCluster();
      address = own;
    }
  });
  // Its own time limit: dropping the file's databases (each a directory of files) is slow when the disk is busy.
  afterAll(async () => {
    try {
      if (address && !own) await dropDatabases(address, made.reverse());
    } finally {
      own?.stop();
    }
  }, 300_000);
  const current = (): PostgresClusterAddress => {
    if (!address) throw new Error('usePostgres(): the cluster is not started yet (use it inside tests and hooks)');
    return address;
  };
  const database = async (options: { template?: string } = {}): Promise<{ name: string; url: string }> => {
    const created = await createDatabase(current(), options);
    made.push(created.name);
    return created;
  };
  const migrateTemplate = async (): Promise<string> => {
    const created = await database();
    const client = new pg.Client({ connectionString: created.url });
    await client.connect();
    try {
      await applyPostgresMigrations(client);
    } finally {
      // A template must have no connections while it is copied.
      await client.end();
    }
    return created.name;
  };
  return {
    address: current,
    database,
    migratedDatabase: async () => database({ template: await (template ??= migrateTemplate()) }),
  };
}
