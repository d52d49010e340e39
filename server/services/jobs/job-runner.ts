import { randomUUID } from 'node:crypto';
import type { Job, JobStorage } from '../../storage/job-storage.ts';
import type { Logger } from '../logger.ts';

/** Why a job's signal fired: its cancel was asked for, or the runner is shutting down (the job stays resumable). */
export type JobStopReason = 'cancelled' | 'shutdown' | 'lease_lost';

export interface JobContext {
  /** Fires when the job must stop; `signal.reason` is a JobStopReason. Handlers pass it down to every await. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * Does one job. Returning ends it 'done' (or 'cancelled' if its cancel was asked for); throwing ends it 'failed' with
 * the error's message. On shutdown the handler should return promptly once `signal` fires; the job goes back to the
 * queue and the next claim resumes it, so a handler must be able to start over from what it stored.
 */
export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;

export interface JobRunnerOptions {
  jobs: JobStorage;
  handlers: Readonly<Record<string, JobHandler>>;
  log: Logger;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** How long a claim holds without renewal (default 10 s); renewed every third of it. */
  leaseMs?: number;
  /**
   * Who renews the leases. Absent: this runner, on its own thread's timers. Given: the runner tells it which jobs run
   * (the research worker's host renews them from the server's event loop, job-lease-keeper.ts) and hears of a lost
   * lease through `leaseLost()`.
   */
  leaseRenewal?: { started: (jobId: string) => void; ended: (jobId: string) => void };
  /** How often a running job's cancel flag is read (default 200 ms), besides `cancel()` from the owning thread. */
  cancelPollMs?: number;
  /** How often the queue is looked at when idle (default 500 ms), besides `wake()`. */
  idlePollMs?: number;
  /** How long shutdown waits for stopped handlers to return before releasing their jobs anyway (default 1.5 s). */
  stopWaitMs?: number;
}

interface Running {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Claims jobs from the queue and runs their handlers, `concurrency` at a time, on whichever thread hosts it (the
 * research worker thread in the server). Each claim is leased and the lease renewed while the handler runs, so if this
 * thread dies the jobs become claimable again once their leases expire. A cancel is noticed within `cancelPollMs`
 * (or at once through `cancel()`); a handler's error fails its job, never the runner.
 */
export class JobRunner {
  readonly owner = `runner-${randomUUID()}`;
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private started = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private claiming = false;
  private wakeAgain = false;
  private readonly concurrency: number;
  private readonly leaseMs: number;

  constructor(private readonly options: JobRunnerOptions) {
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.idleTimer = setInterval(() => this.wake(), this.options.idlePollMs ?? 500);
    this.idleTimer.unref();
    this.wake();
  }

  /** A job was enqueued (or a slot freed): claim now instead of at the next idle poll. */
  wake(): void {
    if (!this.started || this.stopping) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    this.claiming = true;
    void this.fill().finally(() => {
      this.claiming = false;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Stops a running job now (its cancel is already recorded); the poll would notice it within `cancelPollMs`. */
  cancel(jobId: string): void {
    this.running.get(jobId)?.controller.abort('cancelled' satisfies JobStopReason);
  }

  /** The job's lease was lost (its renewer found another owner): its handler stops, and the job is not recorded. */
  leaseLost(jobId: string): void {
    this.running.get(jobId)?.controller.abort('lease_lost' satisfies JobStopReason);
  }

  /** IDs of the jobs running here now. */
  runningJobs(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Stops every running job and gives it back to the queue (resumable), waiting at most `stopWaitMs` for the handlers
   * to return: in-flight work is stopped, not awaited to its end.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    const running = [...this.running.values()];
    for (const r of running) r.controller.abort('shutdown' satisfies JobStopReason);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((r) => r.done)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.stopWaitMs ?? 1500))),
    ]);
    clearTimeout(timer);
    // Handlers still running past the wait: their jobs are released here, and whatever they still write is theirs.
    for (const r of this.running.values()) await this.release(r.job);
  }

  private async fill(): Promise<void> {
    const kinds = Object.keys(this.options.handlers);
    while (!this.stopping && this.running.size < this.concurrency) {
      let job: Job | null;
      try {
        job = await this.options.jobs.claimJob({ kinds, owner: this.owner, leaseMs: this.leaseMs, now: new Date() });
      } catch (error) {
        this.options.log.error({ err: error }, 'claiming a job failed (retrying at the next poll)');
        return;
      }
      if (!job) return;
      this.launch(job);
    }
  }

  private launch(job: Job): void {
    const { jobs, log: baseLog } = this.options;
    const log = baseLog.child({ jobId: job.id, jobKind: job.kind, jobKey: job.key });
    const controller = new AbortController();
    // A job claimed with its cancel already asked for (its worker died before it noticed) still gets its handler,
    // with the signal fired, so the handler records how its subject ended.
    if (job.cancelRequested) controller.abort('cancelled' satisfies JobStopReason);
    const external = this.options.leaseRenewal;
    external?.started(job.id);
    const renew = external
      ? undefined
      : setInterval(() => {
          jobs.renewJobLease(job.id, this.owner, this.leaseMs, new Date()).then(
            (mine) => {
              if (!mine) controller.abort('lease_lost' satisfies JobStopReason);
            },
            (error: unknown) => log.warn({ err: error }, 'renewing a job lease failed (retrying)'),
          );
        }, this.leaseMs / 3);
    const poll = setInterval(() => {
      jobs.isCancelRequested(job.id).then(
        (asked) => {
          if (asked) controller.abort('cancelled' satisfies JobStopReason);
        },
        () => undefined,
      );
    }, this.options.cancelPollMs ?? 200);
    const entry: Running = { job, controller, done: Promise.resolve() };
    this.running.set(job.id, entry);
    entry.done = this.execute(job, controller, log).finally(() => {
      clearInterval(renew);
      external?.ended(job.id);
      clearInterval(poll);
      this.running.delete(job.id);
      this.wake();
    });
  }

  private async execute(job: Job, controller: AbortController, log: Logger): Promise<void> {
    const handler = this.options.handlers[job.kind];
    let error: unknown = null;
    try {
      if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
      await handler(job, { signal: controller.signal, log });
    } catch (thrown) {
      error = thrown;
    }
    const reason = controller.signal.aborted ? (controller.signal.reason as JobStopReason) : null;
    try {
      if (reason === 'shutdown') {
        await this.release(job);
      } else if (reason === 'lease_lost') {
        log.warn('a job lease was lost (this thread stalled past it); another worker has the job');
      } else if (reason === 'cancelled') {
        await this.options.jobs.finishJob(job.id, this.owner, 'cancelled');
      } else if (error !== null) {
        log.error({ err: error }, 'job failed');
        const message = error instanceof Error ? error.message : String(error);
        await this.options.jobs.finishJob(job.id, this.owner, 'failed', message);
      } else {
        await this.options.jobs.finishJob(job.id, this.owner, 'done');
      }
    } catch (storeError) {
      // The lease runs out and the job is claimed again: recording its end is retried by whoever resumes it.
      log.error({ err: storeError }, 'recording the end of a job failed');
    }
  }

  private async release(job: Job): Promise<void> {
    try {
      await this.options.jobs.releaseJob(job.id, this.owner);
    } catch (error) {
      this.options.log.error({ err: error, jobId: job.id }, 'releasing a job failed (its lease expires instead)');
    }
  }
}
