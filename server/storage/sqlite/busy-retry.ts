import { setTimeout as sleep } from 'node:timers/promises';
import { claimForLoop, yieldToLoop } from '../write-gate.ts';

/**
 * How a connection waits when another connection holds SQLite's write lock (the research worker, an import thread,
 * the WAL checkpointer, another process).
 * - `block`: SQLite's busy handler sleeps on the calling thread, up to BUSY_WAIT_MS. Right for threads and processes
 *   that serve nobody while they wait (workers, the CLI).
 * - `yield`: the connection never sleeps inside SQLite (busy_timeout 0); a method that meets the lock fails at once
 *   and is run again after a short timer, so the thread serves other work meanwhile. The server's event loop uses
 *   this. Why: measured with a batch run writing beside 200 live persons, the loop's commits sat 60–106 ms at a time
 *   in SQLite's busy handler (its sleeps grow 1, 2, 5, 10 … 100 ms), which held every person's acknowledgement and
 *   `/api/health` (reply p99 1.5 s against 17 ms quiet).
 * While a `yield` call waits, it claims the lock for the loop (write-gate.ts): the server's background threads, whose
 * connections `block`, hold their next write until the loop has had its turn.
 */
export type LockWait = 'block' | 'yield';

/** The longest either mode waits for the lock before the method fails with SQLITE_BUSY. */
export const BUSY_WAIT_MS = 5_000;

/**
 * Delay before retry number `attempt` (0-based) in `yield` mode: 1, 1, 2, 4 ms, then 5 ms. Short, because the server's
 * background threads leave the lock to a claiming loop after their current transaction (write-gate.ts); a failed
 * try costs microseconds.
 */
function retryDelay(attempt: number): number {
  return Math.min(5, 2 ** Math.max(0, attempt - 1));
}

/** SQLITE_BUSY and its extended codes (SNAPSHOT: a deferred transaction's snapshot went stale before its first write). */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `call` again while it fails with SQLITE_BUSY, until BUSY_WAIT_MS have passed since the first try. Safe only for
 * work that stores nothing unless it all succeeds: one statement, or one transaction (which better-sqlite3 rolls back
 * when it throws). Every storage method is written that way (SqliteStorage's class comment), except the ones listed in
 * `notRetried` by the caller.
 */
async function untilUnlocked<T>(call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let release: (() => void) | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isBusyError(error) || Date.now() - started >= BUSY_WAIT_MS) throw error;
        release ??= claimForLoop();
        await sleep(retryDelay(attempt));
      }
    }
  } finally {
    release?.();
  }
}

/**
 * `target` with every method that returns a promise retried on SQLITE_BUSY (untilUnlocked), except `notRetried`.
 * Synchronous methods are passed through unchanged. The method runs with the unwrapped object as `this`, so calls
 * between its own methods are not retried twice. In `block` mode each call first yields to a loop that claims the
 * lock (write-gate.ts; nothing on connections of threads the server did not start).
 */
export function retryingOnBusy<T extends object>(
  target: T,
  notRetried: readonly string[] = [],
  lockWait: LockWait = 'yield',
): T {
  // Keyed by the function, not the name: a method replaced on the object (a test's fault injection) gets its own.
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function' || notRetried.includes(String(property))) return value;
      const known = wrapped.get(value);
      if (known) return known;
      const method = value as (...args: unknown[]) => unknown;
      const retrying = (...args: unknown[]): unknown => {
        if (lockWait === 'block') yieldToLoop();
        const first = method.apply(object, args);
        if (!(first instanceof Promise)) return first;
        let tries = 0;
        return untilUnlocked(() => (tries++ === 0 ? first : (method.apply(object, args) as Promise<unknown>)));
      };
      wrapped.set(value, retrying);
      return retrying;
    },
  });
}
