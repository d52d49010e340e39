import { parentPort, workerData } from 'node:worker_threads';
import { JobRunner } from '../../server/services/jobs/job-runner.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { captureLog } from './capture-log.ts';

/**
 * The job lease test's worker thread: a JobRunner on its own connection to the test's database file, whose one job
 * holds the thread synchronously for `stallMs` (as long computation or a starved thread does). With `hostRenews` the
 * host renews the lease (the server's research worker does, job-lease-keeper.ts); without, the runner renews it on
 * this thread's own timers. Posts its owner, each job start and end, and `done` once the job has ended.
 */
export interface StalledJobData {
  file: string;
  leaseMs: number;
  stallMs: number;
  hostRenews: boolean;
}
export type StalledJobMessage =
  { type: 'owner'; owner: string } | { type: 'job'; jobId: string; running: boolean } | { type: 'done' };

const data = workerData as StalledJobData;
const port = parentPort;
if (!port) throw new Error('stalled-job-thread.ts runs only as a worker thread');
const storage = SqliteStorage.open({ file: data.file });
const runner = new JobRunner({
  jobs: storage.jobs,
  log: captureLog([]),
  leaseMs: data.leaseMs,
  idlePollMs: 50,
  handlers: {
    stall: async () => {
      const until = performance.now() + data.stallMs;
      while (performance.now() < until);
      await Promise.resolve();
    },
  },
  ...(data.hostRenews
    ? {
        leaseRenewal: {
          started: (jobId: string) => port.postMessage({ type: 'job', jobId, running: true }),
          ended: (jobId: string) => {
            port.postMessage({ type: 'job', jobId, running: false });
            port.postMessage({ type: 'done' });
          },
        },
      }
    : {}),
});
port.postMessage({ type: 'owner', owner: runner.owner } satisfies StalledJobMessage);
port.on('message', (m: { type: 'stop' } | { type: 'leaseLost'; jobId: string }) => {
  if (m.type === 'leaseLost') runner.leaseLost(m.jobId);
  else
    void runner
      .stop()
      .then(() => storage.close())
      .then(() => port.close());
});
runner.start();
