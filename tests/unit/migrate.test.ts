import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MigrationError } from '../../server/storage/errors.ts';
import { applyMigrations, readMigrations } from '../../server/storage/sqlite/migrate.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();

describe('SQLite migrations', () => {
  it('applies every shipped migration once, in order', () => {
    const db = new Database(join(dir, 'fresh.sqlite'));
    const shipped = readMigrations();
    expect(shipped.map((m) => m.version)).toEqual(shipped.map((_, i) => i + 1));
    expect(applyMigrations(db)).toEqual(shipped.map((m) => m.name));
    expect(applyMigrations(db)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(shipped.length);
    db.close();
  });

  it('a failing migration is rolled back and named, and start-up fails loudly', () => {
    const migrations = [
      { version: 1, name: '001-ok.sql', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: '002-broken.sql', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1);' },
    ];
    const db = new Database(join(dir, 'broken.sqlite'));
    expect(() => applyMigrations(db, migrations)).toThrowError(/002-broken\.sql.*no such table: missing/);
    // 001 stays applied; 002's table was rolled back with it.
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')").pluck().all(),
    ).toEqual(['a']);
    expect(db.prepare('SELECT name FROM schema_migrations').pluck().all()).toEqual(['001-ok.sql']);
    db.close();
  });

  it('rejects misnumbered migration files', () => {
    const migDir = join(dir, 'misnumbered');
    mkdirSync(migDir);
    writeFile(migDir, '001-a.sql', 'SELECT 1;');
    writeFile(migDir, '003-c.sql', 'SELECT 1;');
    expect(() => readMigrations(migDir)).toThrowError(MigrationError);
    expect(() => readMigrations(migDir)).toThrowError(/003-c\.sql.*expected migration number 002/);
  });

  it('refuses a database newer than the app', () => {
    const file = join(dir, 'newer.sqlite');
    const db = new Database(file);
    applyMigrations(db);
    db.prepare('INSERT INTO schema_migrations VALUES (999, ?, ?)').run('999-future.sql', 'now');
    db.close();
    expect(() => SqliteStorage.open({ file })).toThrowError(/newer than this version/);
  });
});
