import type pg from 'pg';
import type { LoginThrottle } from '../people-storage.ts';
import { THROTTLE_COLUMNS, toThrottle, type ThrottleRow } from '../rows/people-rows.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';

/** The advisory-lock class of throttle updates (the second key is the username's hash): "thrt". */
const THROTTLE_LOCK_CLASS = 0x74687274;

async function read(db: Queryable, username: string, now: Date): Promise<LoginThrottle | null> {
  const [row] = (
    await db.query<ThrottleRow>(
      `SELECT ${THROTTLE_COLUMNS} FROM login_throttle
       WHERE username = $1 AND expires_at COLLATE "C" > $2`,
      [username, now.toISOString()],
    )
  ).rows;
  return row ? toThrottle(row) : null;
}

export async function getLoginThrottle(db: PgDatabase, username: string, now: Date): Promise<LoginThrottle | null> {
  return read(db.pool, username, now);
}

/**
 * Read, apply, write in one transaction holding an advisory lock on the username (folded to lower case, as the nocase
 * column compares): a row lock alone would not do, since the first failure of a name has no row to lock yet. Two
 * processes counting failures for one name at once therefore never both read the old count.
 */
export async function updateLoginThrottle(
  db: PgDatabase,
  username: string,
  now: Date,
  next: (current: LoginThrottle | null) => LoginThrottle,
): Promise<LoginThrottle> {
  return db.transaction(async (client: pg.PoolClient) => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))', [THROTTLE_LOCK_CLASS, username]);
    const updated = next(await read(client, username, now));
    // Rows of names nobody tried for a while go, so guessing many names cannot grow the table without bound.
    await client.query('DELETE FROM login_throttle WHERE expires_at COLLATE "C" <= $1', [now.toISOString()]);
    await client.query(
      `INSERT INTO login_throttle (username, failures, window_started_at, locked_until, lockouts, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,
         window_started_at = excluded.window_started_at, locked_until = excluded.locked_until,
         lockouts = excluded.lockouts, expires_at = excluded.expires_at`,
      [username, updated.failures, updated.windowStartedAt, updated.lockedUntil, updated.lockouts, updated.expiresAt],
    );
    return updated;
  });
}

export async function clearLoginThrottle(db: PgDatabase, username: string): Promise<void> {
  await db.rows('DELETE FROM login_throttle WHERE username = $1', [username]);
}
