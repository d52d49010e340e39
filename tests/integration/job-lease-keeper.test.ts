import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { JobLeaseKeeper } from '../../server/services/jobs/job-lease-keeper.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { captureLog } from '../support/capture-log.ts';
import type { StalledJobData, StalledJobMessage } from '../support/stalled-job-thread.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * A job's lease while its worker thread is held by synchronous work for several leases (real thread, real database
 * file): renewed from the host thread (job-lease-keeper.ts, as the server's research worker does), the job stays its
 * own and ends done; renewed on the stalled thread's own timers, it lapses and another worker can claim it mid-run
 * (what ended a batch run `interrupted` on a loaded machine).
 */

const dir = tempDir('prefdisco-lease-');
const BOOT = new URL('../support/stalled-job-boot.mjs', import.meta.url);
const LEASE_MS = 1000;
const STALL_MS = 4 * LEASE_MS;
const cleanups: (() => Promise<unknown>)[] = [];
let n = 0;

afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

async function stalledJob(hostRenews: boolean) {
  const file = join(dir, `lease-${++n}.sqlite`);
  const host = SqliteStorage.open({ file });
  cleanups.push(() => host.close());
  const { job } = await host.jobs.enqueueJob({ kind: 'stall', key: `stall-${n}`, payload: {} });
  const lost: string[] = [];
  const keeper = new JobLeaseKeeper({
    jobs: host.jobs,
    leaseMs: LEASE_MS,
    log: captureLog([]),
    onLost: (id) => lost.push(id),
  });
  cleanups.push(async () => keeper.clear());
  const data: StalledJobData = { file, leaseMs: LEASE_MS, stallMs: STALL_MS, hostRenews };
  const worker = new Worker(BOOT, { workerData: data });
  cleanups.push(() => worker.terminate());
  let owner = '';
  let running = false;
  worker.on('message', (m: StalledJobMessage) => {
    if (m.type === 'owner') owner = m.owner;
    else if (m.type === 'job' && m.running) {
      running = true;
      keeper.keep(m.jobId, owner);
    } else if (m.type === 'job') keeper.drop(m.jobId);
  });
  for (let i = 0; i < 400 && !running && (await host.jobs.getJob(job.id))?.status !== 'running'; i++) await sleep(25);
  // Two and a half leases into the stall: an unrenewed lease has lapsed by now.
  await sleep(2.5 * LEASE_MS);
  const intruder = await host.jobs.claimJob({ kinds: ['stall'], owner: 'intruder', leaseMs: 60_000, now: new Date() });
  return { host, job, intruder, lost };
}

describe('a job lease while its worker thread is stalled', () => {
  it('renewed by the host thread, the job stays its worker’s and ends done', async () => {
    const { host, job, intruder, lost } = await stalledJob(true);
    expect(intruder).toBeNull();
    let status = '';
    for (let i = 0; i < 400 && status !== 'done'; i++) {
      status = (await host.jobs.getJob(job.id))?.status ?? '';
      await sleep(25);
    }
    expect(status).toBe('done');
    expect(lost).toEqual([]);
  });

  it('renewed on the stalled thread itself, the lease lapses and another worker claims the job mid-run', async () => {
    const { job, intruder } = await stalledJob(false);
    expect(intruder?.id).toBe(job.id);
  });
});
