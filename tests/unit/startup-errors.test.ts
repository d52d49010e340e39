import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeStartupError } from '../../server/main.ts';
import {
  asDatabaseError,
  databaseProblem,
  DatabaseUnusableError,
  MigrationError,
} from '../../server/storage/errors.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

// Each case uses the error the system really raises where it can be made to (we run as root, so permission bits do
// not bite; /sys refuses even root, /dev/full is always full); EACCES and EROFS are built in Node's own shape.
const dir = tempDir();

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

/** One line, naming the file, with no stack. */
function expectOneLine(text: string, file: string): void {
  expect(text).not.toContain('\n');
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).toContain(file);
}

describe('start-up failures of the database say what is wrong and what to do, in one line', () => {
  it('a damaged file (random bytes): restore from a backup', () => {
    const file = join(dir, 'corrupt.sqlite');
    writeFileSync(file, randomBytes(16_384));
    const error = thrown(() => SqliteStorage.open({ file }));
    expect(error).toBeInstanceOf(DatabaseUnusableError);
    expect((error as DatabaseUnusableError).cause).toMatchObject({ code: 'SQLITE_NOTADB' });
    const line = describeStartupError(error);
    expectOneLine(line, file);
    expect(line).toBe(
      `the database ${file} is damaged or is not a database: restore it from a backup (with its -wal file), or move it away to start with an empty one`,
    );
  });

  it('a folder that cannot be made (a file is in the way): create it or choose another path', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const file = join(dir, 'a-file', 'db', 'prefdisco.sqlite');
    const error = thrown(() => SqliteStorage.open({ file }));
    expect((error as DatabaseUnusableError).cause).toMatchObject({ code: 'ENOTDIR' });
    const line = describeStartupError(error);
    expectOneLine(line, file);
    expect(line).toMatch(/does not exist and cannot be created \(ENOTDIR\): create it, or set PREFDISCO_DB/);
  });

  it('a folder the system refuses to write (EPERM, even for root): permissions', () => {
    const file = '/sys/prefdisco-test/prefdisco.sqlite';
    const error = thrown(() => SqliteStorage.open({ file }));
    const cause = (error as DatabaseUnusableError).cause as { code?: string };
    expect(['EPERM', 'EACCES', 'EROFS']).toContain(cause.code);
    const line = describeStartupError(error);
    expectOneLine(line, file);
    expect(line).toContain('cannot be written');
    expect(line).toContain('give the user running PrefDisco write permission');
  });

  it('a full disk (SQLite and the file system): free some space', () => {
    const db = new Database(join(dir, 'full.sqlite'));
    db.pragma('max_page_count = 3');
    db.exec('CREATE TABLE t (x)');
    const sqliteFull = thrown(() => {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(1000));
    });
    db.close();
    expect(sqliteFull).toMatchObject({ code: 'SQLITE_FULL' });
    const fsFull = thrown(() => writeFileSync('/dev/full', 'x'));
    expect(fsFull).toMatchObject({ code: 'ENOSPC' });
    for (const error of [sqliteFull, fsFull, new MigrationError('007-login-throttle.sql', sqliteFull)]) {
      const line = describeStartupError(asDatabaseError('data/x.sqlite', error));
      expectOneLine(line, 'data/x.sqlite');
      expect(line).toMatch(/^the disk holding the database data\/x\.sqlite is full: free some space/);
    }
  });

  it('a read-only database or folder: permissions or a read-write mount', () => {
    const file = join(dir, 'ro.sqlite');
    const rw = new Database(file);
    rw.exec('CREATE TABLE t (x)');
    rw.close();
    const ro = new Database(file, { readonly: true });
    const readonly = thrown(() => ro.exec('INSERT INTO t VALUES (1)'));
    ro.close();
    expect(readonly).toMatchObject({ code: 'SQLITE_READONLY' });
    const erofs = Object.assign(new Error(`EROFS: read-only file system, mkdir '${dir}'`), { code: 'EROFS' });
    const eacces = Object.assign(new Error(`EACCES: permission denied, mkdir '${dir}'`), { code: 'EACCES' });
    for (const error of [readonly, erofs, eacces]) {
      const line = describeStartupError(asDatabaseError(file, error));
      expectOneLine(line, file);
      expect(line).toContain(`the database ${file} or its folder cannot be written`);
    }
  });

  it('a path naming a folder cannot be opened; other errors are left alone (a bug keeps its stack)', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const line = describeStartupError(thrown(() => SqliteStorage.open({ file: folder })));
    expectOneLine(line, folder);
    expect(line).toContain('check that PREFDISCO_DB names a file (not a folder)');
    const bug = new TypeError('x is not a function');
    expect(databaseProblem('f', bug)).toBeNull();
    expect(asDatabaseError('f', bug)).toBe(bug);
    expect(describeStartupError(bug)).toContain('at ');
  });
});
