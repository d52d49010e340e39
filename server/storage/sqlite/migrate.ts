import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { MigrationError } from '../errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

/** Migration files in order. Numbers must be unique and contiguous from 001, so a missing file is noticed. */
export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((name, i) => {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new MigrationError(name, new Error('file name must look like 001-some-name.sql'));
    const version = Number(match[1]);
    if (version !== i + 1)
      throw new MigrationError(name, new Error(`expected migration number ${String(i + 1).padStart(3, '0')}`));
    return { version, name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

/**
 * Applies the migrations the database has not seen, each in its own transaction. A failure rolls that migration back
 * and throws a MigrationError naming it, which stops start-up.
 */
export function applyMigrations(db: Database.Database, migrations: MigrationFile[] = readMigrations()): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  if (newest > migrations.length) {
    throw new MigrationError(
      String(newest).padStart(3, '0'),
      new Error('the database is newer than this version of the app'),
    );
  }
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
