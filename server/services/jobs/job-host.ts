import type { JobRunner } from './job-runner.ts';

/**
 * Where background jobs run, as the live loop's services see it: the research worker thread in the server
 * (research-worker.ts), or the calling thread when an app is built without one (tests that pass their own models).
 * Either way the jobs themselves are in the database; these calls only shorten the wait.
 */
export interface JobHost {
  /** Starts claiming jobs (main.ts, once the server holds the database and has recovered what a crash left). */
  start(): void;
  /** A job was enqueued: claim it now rather than at the next poll. */
  wake(): void;
  /** A cancel was recorded for this running job: stop it now rather than at the next poll. */
  cancel(jobId: string): void;
  /** Stops running jobs (left resumable) and the host. */
  close(): Promise<void>;
}

/** Jobs run on this thread by `runner`; started by `start()` or by the first `wake()`. */
export function inProcessJobHost(runner: JobRunner): JobHost {
  return {
    start: () => runner.start(),
    wake: () => {
      runner.start();
      runner.wake();
    },
    cancel: (jobId) => runner.cancel(jobId),
    close: () => runner.stop(),
  };
}
