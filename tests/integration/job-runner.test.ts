import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner, type JobHandler } from '../../server/services/jobs/job-runner.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { captureLog } from '../support/capture-log.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-job-runner-');
let n = 0;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A runner on one connection and a second connection to the same file, as the loop and the worker have. */
function setUp(handlers: Record<string, JobHandler>, lines: string[] = []) {
  const file = join(dir, `runner-${++n}.sqlite`);
  const worker = SqliteStorage.open({ file });
  const loop = SqliteStorage.open({ file });
  const runner = new JobRunner({ jobs: worker.jobs, handlers, log: captureLog(lines), idlePollMs: 50 });
  cleanup.push(async () => {
    await runner.stop();
    await worker.close();
    await loop.close();
  });
  return { runner, loop };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > ms) throw new Error(`still ${JSON.stringify(value)} after ${ms} ms`);
    await sleep(10);
  }
}

/** Waits until the signal fires, as a handler doing I/O would; resolves with the stop reason. */
const untilStopped = (signal: AbortSignal): Promise<unknown> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('JobRunner on a real SQLite file', () => {
  it('a job that throws is failed with its error, and the runner goes on with the next job', async () => {
    const lines: string[] = [];
    const { runner, loop } = setUp(
      {
        work: async (job) => {
          if ((job.payload as { fail: boolean }).fail) throw new Error('the model answered 500');
        },
      },
      lines,
    );
    await loop.jobs.enqueueJob({ kind: 'work', key: 'bad', payload: { fail: true } });
    await loop.jobs.enqueueJob({ kind: 'work', key: 'good', payload: { fail: false } });
    runner.start();
    const good = await until(
      () => loop.jobs.getJobByKey('good'),
      (j) => j?.status === 'done',
    );
    expect(good?.attempts).toBe(1);
    expect(await loop.jobs.getJobByKey('bad')).toMatchObject({ status: 'failed', error: 'the model answered 500' });
    expect(lines).toContain('job failed');
  });

  it('a cancel recorded by another connection stops a running job within a second, and it ends cancelled', async () => {
    const reasons: unknown[] = [];
    const { runner, loop } = setUp({
      work: async (_job, { signal }) => {
        reasons.push(await untilStopped(signal));
      },
    });
    const { job } = await loop.jobs.enqueueJob({ kind: 'work', key: 'long', payload: {} });
    runner.start();
    await until(
      () => loop.jobs.getJob(job.id),
      (j) => j?.status === 'running',
    );
    const asked = Date.now();
    // Only the flag in the database: no message to the runner, so its own poll must notice.
    await loop.jobs.requestJobCancel({ key: 'long' });
    await until(
      () => loop.jobs.getJob(job.id),
      (j) => j?.status === 'cancelled',
    );
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(reasons).toEqual(['cancelled']);
  });

  it('stop gives running jobs back to the queue within the wait, even a handler that ignores its signal', async () => {
    const { runner, loop } = setUp({
      polite: async (_job, { signal }) => {
        await untilStopped(signal);
      },
      stubborn: async () => {
        await sleep(5000);
      },
    });
    await loop.jobs.enqueueJob({ kind: 'polite', key: 'p', payload: {} });
    await loop.jobs.enqueueJob({ kind: 'stubborn', key: 's', payload: {} });
    runner.start();
    await until(
      () => loop.jobs.listJobs({ statuses: ['running'] }),
      (jobs) => jobs.length === 2,
    );
    const started = Date.now();
    await runner.stop();
    expect(Date.now() - started).toBeLessThan(2500);
    const jobs = await loop.jobs.listJobs();
    expect(jobs.map((j) => [j.key, j.status, j.owner])).toEqual([
      ['p', 'queued', null],
      ['s', 'queued', null],
    ]);
  });
});
