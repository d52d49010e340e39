import { Worker } from 'node:worker_threads';
import type { DatabaseLocation } from '../../config.ts';
import type { JobStorage } from '../../storage/job-storage.ts';
import { loopWriteGate } from '../../storage/write-gate.ts';
import type { Logger } from '../logger.ts';
import type { JobHost } from './job-host.ts';
import { JobLeaseKeeper } from './job-lease-keeper.ts';
import type { FromWorker, ResearchWorkerData, ToWorker } from './research-worker-protocol.ts';

/** Plain JS that registers tsx in the thread, then loads server/research-worker-main.ts. */
const ENTRY = new URL('../../research-worker-boot.mjs', import.meta.url);

export interface ResearchWorkerOptions {
  database: DatabaseLocation;
  modelsFile: string | undefined;
  /** The server's prompt packs folder (PREFDISCO_PROMPTS_DIR). */
  promptsDir?: string;
  /** The server's own storage, to hand a dead thread's jobs back to the queue at once. */
  jobs: JobStorage;
  log: Logger;
  /** Jobs run at once on the thread (default 4). */
  concurrency?: number;
  /** Job lease (default 10 s): how long a job a dead process held waits before it is claimed again. */
  leaseMs?: number;
  /** How long close() waits for the thread to release its jobs before terminating it (default 3 s). */
  stopWaitMs?: number;
}

/**
 * Runs background jobs on a worker thread: batch runs (and the other kinds in job-handlers.ts) never take the
 * server's event loop, which serves participants. The thread has its own Storage connection to the same database
 * file. If it dies, this logs it, gives its jobs back to the queue and starts a new one (after a pause that grows with
 * repeated deaths, so a thread that cannot start does not spin).
 */
export class ResearchWorker implements JobHost {
  private worker: Worker | null = null;
  private owner: string | null = null;
  private stopping = false;
  private deaths = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Renews the thread's job leases from this (the server's) event loop. */
  private readonly leases: JobLeaseKeeper;

  constructor(private readonly options: ResearchWorkerOptions) {
    this.leases = new JobLeaseKeeper({
      jobs: options.jobs,
      leaseMs: this.leaseMs(),
      log: options.log,
      onLost: (jobId) => this.send({ type: 'leaseLost', jobId }),
    });
  }

  private leaseMs(): number {
    return this.options.leaseMs ?? 10_000;
  }

  start(): void {
    if (this.worker || this.stopping) return;
    const data: ResearchWorkerData = {
      database: this.options.database,
      modelsFile: this.options.modelsFile,
      concurrency: this.options.concurrency ?? 4,
      ...(this.options.promptsDir !== undefined ? { promptsDir: this.options.promptsDir } : {}),
      leaseMs: this.leaseMs(),
      writeGate: loopWriteGate(),
    };
    const worker = new Worker(ENTRY, { workerData: data, name: 'research-worker' });
    this.worker = worker;
    // The server's lifetime is decided by its sockets and signals, not by this thread.
    worker.unref();
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.options.log.error({ err: error }, 'the research worker thread failed'));
    worker.on('exit', (code) => this.onExit(worker, code));
  }

  /** A job was enqueued: the thread claims it now. The first job starts the thread (see start-up in main.ts). */
  wake(): void {
    if (!this.worker && !this.restartTimer) this.start();
    else this.send({ type: 'wake' });
  }

  cancel(jobId: string): void {
    this.send({ type: 'cancel', jobId });
  }

  /**
   * Asks the thread to stop its jobs and give them back to the queue, and waits for it at most `stopWaitMs` before
   * terminating it (a job it could not release then waits for its lease to expire, or for the next start).
   */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.stopWaitMs())))]);
    clearTimeout(timer);
    if (this.worker === worker) await worker.terminate();
  }

  private stopWaitMs(): number {
    return this.options.stopWaitMs ?? 3000;
  }

  private send(message: ToWorker): void {
    if (!this.stopping) this.worker?.postMessage(message);
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'ready') {
      this.owner = message.owner;
      this.deaths = 0;
    } else if (message.type === 'job') {
      if (!message.running) this.leases.drop(message.jobId);
      else if (this.owner) this.leases.keep(message.jobId, this.owner);
    } else if (message.type === 'log') {
      const log = this.options.log;
      log[message.level]({ thread: 'research-worker', ...message.fields }, message.msg);
    }
  }

  private onExit(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.leases.clear();
    const owner = this.owner;
    this.owner = null;
    if (this.stopping) return;
    this.deaths += 1;
    const delayMs = Math.min(30_000, 500 * 2 ** Math.min(this.deaths - 1, 6));
    this.options.log.error(
      { exitCode: code, restartInMs: delayMs },
      'the research worker thread stopped unexpectedly; restarting it (its jobs resume)',
    );
    const restart = (): void => {
      this.restartTimer = null;
      if (!this.stopping) this.start();
    };
    // Its jobs go back to the queue now rather than when their leases expire.
    const released = owner ? this.options.jobs.releaseJobsOf(owner) : Promise.resolve(0);
    void released
      .catch((error: unknown) => {
        this.options.log.error({ err: error }, 'could not release the dead worker thread jobs (their leases expire)');
        return 0;
      })
      .then(() => {
        this.restartTimer = setTimeout(restart, delayMs);
        this.restartTimer.unref();
      });
  }
}
