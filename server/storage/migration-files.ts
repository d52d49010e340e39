import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from './errors.ts';

/**
 * The numbered migration files both engines share the shape of: server/storage/sqlite/migrations and
 * server/storage/postgres/migrations hold one file each per number, with the same names (a test checks it).
 */

const FILE_PATTERN = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

/** Migration files in order. Numbers must be unique and contiguous from 001, so a missing file is noticed. */
export function readMigrationFiles(dir: string): MigrationFile[] {
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
 * An older app must not write to a database a newer one migrated: it would not know the newer columns' rules. Throws
 * the MigrationError that stops start-up when the newest applied version is past the app's last file.
 */
export function refuseNewerDatabase(applied: Iterable<number>, migrations: MigrationFile[]): void {
  const newest = Math.max(0, ...applied);
  if (newest > migrations.length) {
    throw new MigrationError(
      String(newest).padStart(3, '0'),
      new Error('the database is newer than this version of the app'),
    );
  }
}
