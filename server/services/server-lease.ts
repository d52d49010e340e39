import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServerLeaseHolder, ServerLeaseStorage } from '../storage/server-lease-storage.ts';

/** Short, so a server killed with SIGKILL on another machine blocks the next start for seconds, not minutes. */
export const SERVER_LEASE_TTL_MS = 15_000;

/** Another live server holds the database: start-up stops with this one line. */
export class ServerLeaseHeldError extends Error {
  constructor(
    readonly databaseFile: string,
    readonly current: ServerLeaseHolder,
  ) {
    super(
      `the database ${databaseFile} is already served by process ${current.pid} on ${current.host} ` +
        `(lease until ${current.expiresAt}): stop that server first, or set PREFDISCO_DB (or PREFDISCO_DATABASE_URL) to another database`,
    );
  }
}

export interface HeldServerLease {
  /** Renewal stops and the row is deleted; call before closing the storage. */
  release(): Promise<void>;
}

/** Whether a process with this pid exists on this machine (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the database's server lease or throws ServerLeaseHeldError, then renews it every third of its lifetime. A
 * lease left by a process on this machine that no longer runs (killed with SIGKILL) is taken over at once.
 */
export async function holdServerLease(
  lease: ServerLeaseStorage,
  databaseFile: string,
  options: {
    ttlMs?: number;
    onLost?: (current: ServerLeaseHolder | null) => void;
    /** A renewal that threw (busy or failing database); the next one tries again. Told so the operator can see it. */
    onRenewFailed?: (error: unknown) => void;
  } = {},
): Promise<HeldServerLease> {
  const ttlMs = options.ttlMs ?? SERVER_LEASE_TTL_MS;
  const claim = { holder: randomUUID(), host: hostname(), pid: process.pid };
  const outcome = await lease.acquire(
    claim,
    new Date(),
    ttlMs,
    (current) => current.host === claim.host && current.pid !== process.pid && !processAlive(current.pid),
  );
  if (!outcome.acquired) throw new ServerLeaseHeldError(databaseFile, outcome.current);
  let lost = false;
  const timer = setInterval(
    () => {
      void lease.renew(claim.holder, new Date(), ttlMs).then(
        async (renewed) => {
          if (renewed || lost) return;
          lost = true;
          options.onLost?.(await lease.current());
        },
        // A busy or failing database: the next renewal tries again before the lease runs out.
        (error: unknown) => options.onRenewFailed?.(error),
      );
    },
    Math.floor(ttlMs / 3),
  );
  // Renewal alone must not keep a process alive that has nothing else to do.
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await lease.release(claim.holder);
    },
  };
}
