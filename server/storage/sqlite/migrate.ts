import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { MigrationError } from '../errors.ts';
import { readMigrationFiles, refuseNewerDatabase, type MigrationFile } from '../migration-files.ts';

export type { MigrationFile } from '../migration-files.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** SQLite's migration files in order (see readMigrationFiles). */
export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  return readMigrationFiles(dir);
}

/**
 * Applies the migrations the database has not seen, each in its own transaction. A failure rolls that migration back
 * and throws a MigrationError naming it, which stops start-up.
 */
export function applyMigrations(db: Database.Database, migrations: MigrationFile[] = readMigrations()): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  refuseNewerDatabase(applied, migrations);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      })();
    } catch (error) {
      throw new MigrationError(migration.name, error);
    }
    done.push(migration.name);
  }
  return done;
}
