import { AppError } from '../../../shared/errors.ts';
import type { LoginThrottle, PeopleStorage } from '../../storage/people-storage.ts';

/**
 * Per-account backoff for sign-ins. The per-IP rate limit does not stop a guesser with many addresses; this does, per
 * username: after `maxFailures` failures within `windowMs`, the username is locked for `firstLockMs`, and every
 * further failure after a lock ends locks it again for twice as long, up to `maxLockMs`. While locked, every attempt
 * is refused before the password is looked at, even the right one. A success clears the record; so do `windowMs`
 * without a failure. Names are throttled whether or not such an account exists, so the answers reveal nothing about
 * which accounts exist. Stored in the database: it holds across restarts and between processes.
 */
export interface LoginThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  firstLockMs: MINUTE,
  maxLockMs: 60 * MINUTE,
};

/** The key a username is throttled under: as typed at login, trimmed and case-folded like account names. */
function keyOf(username: string): string {
  return username.trim().toLowerCase();
}

function at(ms: number): string {
  return new Date(ms).toISOString();
}

/** The record after one more attempt at `now`, which was not refused; pure. */
export function countAttempt(current: LoginThrottle | null, now: Date, policy: LoginThrottlePolicy): LoginThrottle {
  const t = now.getTime();
  // A quiet spell of a whole window since the window opened (or since the last lock ended) starts afresh.
  const quietSince = current ? Date.parse(current.lockedUntil ?? current.windowStartedAt) : 0;
  const fresh = !current || t - quietSince >= policy.windowMs;
  const base = fresh ? { failures: 0, windowStartedAt: at(t), lockedUntil: null, lockouts: 0 } : current;
  const failures = base.failures + 1;
  if (failures < policy.maxFailures) {
    return { ...base, failures, expiresAt: at(Date.parse(base.windowStartedAt) + policy.windowMs) };
  }
  const lockMs = Math.min(policy.firstLockMs * 2 ** base.lockouts, policy.maxLockMs);
  const lockedUntil = t + lockMs;
  return {
    failures,
    windowStartedAt: base.windowStartedAt,
    lockedUntil: at(lockedUntil),
    lockouts: base.lockouts + 1,
    expiresAt: at(lockedUntil + policy.windowMs),
  };
}

function refusal(lockedUntil: number, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil - now.getTime()) / 1000));
  return new AppError(
    'rate_limited',
    `too many failed sign-ins for this username; try again in ${retryAfterSeconds < 120 ? `${retryAfterSeconds} s` : `${Math.ceil(retryAfterSeconds / 60)} min`}`,
    { details: { retryAfterSeconds } },
  );
}

/**
 * Called before the password is checked: refuses with `rate_limited` (details.retryAfterSeconds) while the username
 * is locked, otherwise counts this attempt as a failure until `loginSucceeded` clears it. Counting first, in one
 * atomic step, means a burst of concurrent guesses cannot all get past the check before any failure is recorded.
 */
export async function admitLoginAttempt(
  people: PeopleStorage,
  username: string,
  now: Date,
  policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
): Promise<void> {
  const locked = { until: 0 };
  await people.updateLoginThrottle(keyOf(username), now, (current) => {
    const until = current?.lockedUntil ? Date.parse(current.lockedUntil) : 0;
    if (current && until > now.getTime()) {
      locked.until = until;
      return current;
    }
    locked.until = 0;
    return countAttempt(current, now, policy);
  });
  if (locked.until > 0) throw refusal(locked.until, now);
}

/** A successful sign-in forgets the username's failures. */
export async function loginSucceeded(people: PeopleStorage, username: string): Promise<void> {
  await people.clearLoginThrottle(keyOf(username));
}
