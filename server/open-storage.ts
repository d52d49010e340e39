import { describeDatabase, type DatabaseLocation } from './config.ts';
import { DatabaseUnusableError, MigrationError } from './storage/errors.ts';
import { PostgresStorage } from './storage/postgres/postgres-storage.ts';
import { SqliteStorage } from './storage/sqlite/sqlite-storage.ts';
import type { Storage } from './storage/storage.ts';

/**
 * Who opens the storage, which decides its settings:
 * - 'server': the serving event loop (SQLite: WAL checkpoints on a thread, lock waits yield the loop);
 * - 'thread': the research worker and the report and import pools' threads (a small PostgreSQL pool each);
 * - 'tool': a CLI command.
 */
export type StorageUser = 'server' | 'thread' | 'tool';

// PostgreSQL connections per pool: the loop serves every person; a thread runs a few jobs or one report/import.
const POSTGRES_CONNECTIONS: Record<StorageUser, number> = { server: 10, thread: 4, tool: 2 };

/**
 * The one place that opens storage for a location (SQLite file or PostgreSQL URL), applying pending migrations.
 * A PostgreSQL server that cannot be reached, or refuses the login, is a DatabaseUnusableError: start-up and the CLI
 * stop with one line naming the database without its password.
 */
export async function openStorage(location: DatabaseLocation, user: StorageUser): Promise<Storage> {
  if (location.kind === 'sqlite') {
    return SqliteStorage.open(
      user === 'server'
        ? { file: location.file, backgroundCheckpoint: true, lockWait: 'yield' }
        : { file: location.file },
    );
  }
  try {
    return await PostgresStorage.open({ url: location.url, maxConnections: POSTGRES_CONNECTIONS[user] });
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    const name = describeDatabase(location);
    throw new DatabaseUnusableError(name, postgresProblem(name, error), error);
  }
}

/** One line on why the PostgreSQL database could not be opened, and what to check. */
function postgresProblem(name: string, error: unknown): string {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH'
  )
    return `cannot reach the PostgreSQL server of ${name} (${code}): check that it runs and that PREFDISCO_DATABASE_URL names its host and port`;
  if (code === '28P01' || code === '28000')
    return `PostgreSQL refused the login to ${name} (${code}): check the user and password in PREFDISCO_DATABASE_URL`;
  if (code === '3D000')
    return `the PostgreSQL database of ${name} does not exist (${code}): create it (createdb) or fix PREFDISCO_DATABASE_URL`;
  const message = error instanceof Error ? error.message : String(error);
  return `cannot open the PostgreSQL database ${name}: ${message}${code ? ` (${code})` : ''}`;
}

/** A CLI command's database: `--db FILE` (an SQLite file) when given, otherwise the configured one. */
export function commandDatabase(db: string | undefined, configured: DatabaseLocation): DatabaseLocation {
  return db === undefined ? configured : { kind: 'sqlite', file: db };
}
