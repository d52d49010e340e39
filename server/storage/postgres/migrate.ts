import { fileURLToPath } from 'node:url';
import type { ClientBase } from 'pg';
import { MigrationError } from '../errors.ts';
import { readMigrationFiles, refuseNewerDatabase, type MigrationFile } from '../migration-files.ts';

export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** PostgreSQL's migration files in order: the same numbers and names as SQLite's, the same schema in its terms. */
export function readPostgresMigrations(dir: string = POSTGRES_MIGRATIONS_DIR): MigrationFile[] {
  return readMigrationFiles(dir);
}

/**
 * The advisory lock every process takes before migrating. Unlike an SQLite file, one PostgreSQL database is reached
 * by many processes at once (servers starting together, the CLI): without it two could both see a migration missing
 * and both apply it. Any fixed number works as long as every version of the app uses the same one ("prefmigr").
 */
export const MIGRATION_LOCK_KEY = '8102650170189637490';

/**
 * Applies the migrations the database has not seen, each in its own transaction, holding the migration lock
 * throughout, so a process that waited for it finds the work done. A failure rolls that migration back and throws a
 * MigrationError naming it, which stops start-up; so does a database a newer app has migrated. The lock is a session
 * lock: it is released here, or by PostgreSQL if the connection dies half-way.
 */
export async function applyPostgresMigrations(
  client: ClientBase,
  migrations: MigrationFile[] = readPostgresMigrations(),
): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const rows = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.rows.map((row) => row.version));
    refuseNewerDatabase(applied, migrations);
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      try {
        await client.query('BEGIN');
        // No parameters: the simple query protocol, which runs a file of several statements in one call.
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(migration.name, error);
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}
