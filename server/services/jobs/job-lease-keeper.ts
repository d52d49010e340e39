import type { JobStorage } from '../../storage/job-storage.ts';
import type { Logger } from '../logger.ts';

/**
 * Renews the leases of the jobs a worker thread runs, from the thread that hosts it (the server's event loop), on the
 * thread's behalf.
 *
 * Why not from the worker thread itself: its renewal is a timer on its own event loop, and that loop can be held for
 * seconds by the thread's synchronous work (a long computation, SQLite's busy handler sleeping on a 'block'
 * connection, yielding to the loop's write gate) or by the scheduler on a machine with many more runnable threads than
 * cores. A lease that lapses meanwhile makes the job claimable again, and the run ends interrupted (seen once at a
 * load average of 22). The host thread is the server's most responsive one; it knows when the worker thread dies (its
 * 'exit' event, which then stops the renewals and releases the jobs), so a lease still ends with the process or the
 * thread, as it should.
 */
export class JobLeaseKeeper {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly options: {
      jobs: JobStorage;
      leaseMs: number;
      log: Logger;
      /** The job is no longer `owner`'s (another worker claimed it): its handler must stop. */
      onLost: (jobId: string) => void;
    },
  ) {}

  /** `owner` runs `jobId` now (it just claimed it, with a fresh lease): renew every third of the lease. */
  keep(jobId: string, owner: string): void {
    if (this.timers.has(jobId)) return;
    const { jobs, leaseMs, log, onLost } = this.options;
    const timer = setInterval(() => {
      jobs.renewJobLease(jobId, owner, leaseMs, new Date()).then(
        (mine) => {
          // A job ended between the renewal and its 'ended' message is no longer running either: only a job still
          // kept was lost.
          if (!mine && this.timers.has(jobId)) {
            this.drop(jobId);
            onLost(jobId);
          }
        },
        (error: unknown) => log.warn({ err: error, jobId }, 'renewing a job lease failed (retrying)'),
      );
    }, leaseMs / 3);
    timer.unref();
    this.timers.set(jobId, timer);
  }

  /** The job ended (or was given back) on the worker thread. */
  drop(jobId: string): void {
    clearInterval(this.timers.get(jobId));
    this.timers.delete(jobId);
  }

  /** The worker thread is gone: its jobs' leases are no longer renewed. */
  clear(): void {
    for (const jobId of [...this.timers.keys()]) this.drop(jobId);
  }

  /** Jobs whose leases are kept now (for tests). */
  kept(): string[] {
    return [...this.timers.keys()];
  }
}
