import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Copies a live database with SQLite's online backup (better-sqlite3 `db.backup()`): a consistent snapshot, WAL
 * content included, taken page by page while the server goes on committing. Written beside `out` first and renamed,
 * so a failed backup never leaves a half file under the name asked for.
 */
export async function backupDatabase(file: string, out: string): Promise<{ bytes: number }> {
  const db = new Database(file, { fileMustExist: true });
  const partial = `${out}.partial`;
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial);
    forgetServerLease(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  renameSync(partial, out);
  return { bytes: statSync(out).size };
}

/**
 * The copy carries the serving process's lease row; a server started on a restored copy would be refused (or wait)
 * because of a process that never served that file.
 */
function forgetServerLease(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    const hasLease = copy
      .prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'server_lease'")
      .pluck()
      .get() as number;
    if (hasLease > 0) copy.prepare('DELETE FROM server_lease').run();
  } finally {
    copy.close();
  }
}

/** Why `file` is not a PrefDisco database a restore may use, or null if it is one. */
export function notRestorableReason(file: string): string | null {
  if (!existsSync(file)) return 'there is no such file';
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return `it is damaged (integrity check: ${String(integrity)})`;
    const migrations = db
      .prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .pluck()
      .get() as number;
    if (migrations === 0) return 'it is an SQLite database but not a PrefDisco one (no schema_migrations table)';
    const applied = db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get() as number;
    if (applied === 0) return 'it is not a PrefDisco database (no migrations applied)';
    return null;
  } catch (error) {
    return `it is not a readable SQLite database (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    db?.close();
  }
}

const SIDE_FILES = ['-wal', '-shm'];

/**
 * Replaces the database at `target` with a copy of `from` (checked with notRestorableReason first by the caller).
 * The replaced database, with its -wal and -shm files, is kept as `<target>.before-restore-<timestamp>`.
 */
export async function restoreDatabase(target: string, from: string, now: Date): Promise<{ keptAs: string | null }> {
  mkdirSync(dirname(target), { recursive: true });
  const incoming = `${target}.restoring`;
  // Through the backup API rather than a file copy, so a source with its own -wal file arrives whole.
  await backupDatabase(from, incoming);
  let keptAs: string | null = null;
  if (existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(target, keptAs);
    for (const side of SIDE_FILES) if (existsSync(target + side)) renameSync(target + side, keptAs + side);
  }
  renameSync(incoming, target);
  return { keptAs };
}
