import type Database from 'better-sqlite3';
import type { LoginThrottle } from '../people-storage.ts';
import { THROTTLE_COLUMNS, toThrottle, type ThrottleRow } from '../rows/people-rows.ts';
import { cachedStatement } from './statement-cache.ts';

function read(db: Database.Database, username: string, now: Date): LoginThrottle | null {
  const row = cachedStatement(
    db,
    `SELECT ${THROTTLE_COLUMNS} FROM login_throttle WHERE username = ? AND expires_at > ?`,
  ).get(username, now.toISOString()) as ThrottleRow | undefined;
  return row ? toThrottle(row) : null;
}

export function getLoginThrottle(db: Database.Database, username: string, now: Date): LoginThrottle | null {
  return read(db, username, now);
}

/**
 * Read, apply, write in one IMMEDIATE transaction: the write lock is taken before the read, so two processes counting
 * failures for the same name at once cannot both read the old count.
 */
export function updateLoginThrottle(
  db: Database.Database,
  username: string,
  now: Date,
  next: (current: LoginThrottle | null) => LoginThrottle,
): LoginThrottle {
  return db
    .transaction(() => {
      const updated = next(read(db, username, now));
      // Rows of names nobody tried for a while go, so guessing many names cannot grow the table without bound.
      cachedStatement(db, 'DELETE FROM login_throttle WHERE expires_at <= ?').run(now.toISOString());
      cachedStatement(
        db,
        `INSERT INTO login_throttle (username, failures, window_started_at, locked_until, lockouts, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET failures = excluded.failures,
           window_started_at = excluded.window_started_at, locked_until = excluded.locked_until,
           lockouts = excluded.lockouts, expires_at = excluded.expires_at`,
      ).run(
        username,
        updated.failures,
        updated.windowStartedAt,
        updated.lockedUntil,
        updated.lockouts,
        updated.expiresAt,
      );
      return updated;
    })
    .immediate();
}

export function clearLoginThrottle(db: Database.Database, username: string): void {
  cachedStatement(db, 'DELETE FROM login_throttle WHERE username = ?').run(username);
}
