import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);

/** What this contract uses of a storage. */
export type JobStorageConnection = Pick<Storage, 'jobs' | 'close'>;

/**
 * The behaviour every `Storage.jobs` implementation must have, seen from two connections (a server's loop and its research worker). Run it from one test file per implementation; `openPair` gives two connections to one new database.
 */
export function jobStorageContract(
  name: string,
  openPair: () => Promise<[JobStorageConnection, JobStorageConnection]>,
): void {
  describe(`job queue: ${name}`, () => {
    const open: JobStorageConnection[] = [];
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });
    const twoConnections = async (): Promise<[JobStorageConnection, JobStorageConnection]> => {
      const pair = await openPair();
      open.push(...pair);
      return pair;
    };

    it('enqueue is idempotent on key and keeps the first payload', async () => {
      const [a, b] = await twoConnections();
      const first = await a.jobs.enqueueJob({ kind: 'batch_run', key: 'batch_run:r1', payload: { runId: 'r1' } }, t0);
      expect(first.created).toBe(true);
      expect(first.job).toMatchObject({
        kind: 'batch_run',
        key: 'batch_run:r1',
        payload: { runId: 'r1' },
        status: 'queued',
        owner: null,
        attempts: 0,
        cancelRequested: false,
        createdAt: t0.toISOString(),
      });
      const again = await b.jobs.enqueueJob({ kind: 'batch_run', key: 'batch_run:r1', payload: { runId: 'other' } });
      expect(again).toEqual({ job: first.job, created: false });
      expect(await a.jobs.listJobs()).toHaveLength(1);
    });

    it('claims the oldest queued job of the asked kinds, leases it, and nobody else gets it while the lease runs', async () => {
      const [a, b] = await twoConnections();
      await a.jobs.enqueueJob({ kind: 'twin', key: 'twin:e1', payload: {} }, t0);
      await a.jobs.enqueueJob({ kind: 'batch_run', key: 'batch_run:r1', payload: {} }, later(1));
      await a.jobs.enqueueJob({ kind: 'batch_run', key: 'batch_run:r2', payload: {} }, later(2));
      const job = await a.jobs.claimJob({ kinds: ['batch_run'], owner: 'w1', leaseMs: 10_000, now: later(10) });
      expect(job).toMatchObject({
        key: 'batch_run:r1',
        status: 'running',
        owner: 'w1',
        attempts: 1,
        leaseExpiresAt: later(10_010).toISOString(),
      });
      const next = await b.jobs.claimJob({ kinds: ['batch_run'], owner: 'w2', leaseMs: 10_000, now: later(20) });
      expect(next?.key).toBe('batch_run:r2');
      expect(await b.jobs.claimJob({ kinds: ['batch_run'], owner: 'w2', leaseMs: 10_000, now: later(30) })).toBeNull();
      expect(
        (await b.jobs.claimJob({ kinds: ['twin', 'judge'], owner: 'w2', leaseMs: 10_000, now: later(30) }))?.key,
      ).toBe('twin:e1');
    });

    it('a job whose lease expired (its worker died) is claimed again; the old owner can no longer renew or finish it', async () => {
      const [a, b] = await twoConnections();
      const { job } = await a.jobs.enqueueJob({ kind: 'batch_run', key: 'k', payload: { n: 1 } }, t0);
      await a.jobs.claimJob({ kinds: ['batch_run'], owner: 'dead', leaseMs: 5_000, now: t0 });
      expect(await a.jobs.renewJobLease(job.id, 'dead', 5_000, later(4_000))).toBe(true);
      // Renewed until 9 s: at 8.999 s it is still held.
      expect(
        await b.jobs.claimJob({ kinds: ['batch_run'], owner: 'next', leaseMs: 5_000, now: later(8_999) }),
      ).toBeNull();
      const taken = await b.jobs.claimJob({ kinds: ['batch_run'], owner: 'next', leaseMs: 5_000, now: later(9_000) });
      expect(taken).toMatchObject({ id: job.id, owner: 'next', attempts: 2, payload: { n: 1 } });
      expect(await a.jobs.renewJobLease(job.id, 'dead', 5_000, later(9_001))).toBe(false);
      expect(await a.jobs.finishJob(job.id, 'dead', 'done')).toBe(false);
      expect(await a.jobs.releaseJob(job.id, 'dead')).toBe(false);
      expect((await a.jobs.getJob(job.id))?.owner).toBe('next');
    });

    it('finish records done, failed with its error, or cancelled, and a finished job is never claimed again', async () => {
      const [a] = await twoConnections();
      for (const key of ['d', 'f', 'c']) await a.jobs.enqueueJob({ kind: 'x', key, payload: null }, t0);
      const claim = async (): Promise<string> =>
        (await a.jobs.claimJob({ kinds: ['x'], owner: 'w', leaseMs: 1_000, now: t0 }))?.id ?? '';
      expect(await a.jobs.finishJob(await claim(), 'w', 'done', undefined, later(5))).toBe(true);
      expect(await a.jobs.finishJob(await claim(), 'w', 'failed', 'model answered 500')).toBe(true);
      expect(await a.jobs.finishJob(await claim(), 'w', 'cancelled')).toBe(true);
      const byKey = Object.fromEntries((await a.jobs.listJobs()).map((j) => [j.key, j]));
      expect(byKey.d).toMatchObject({ status: 'done', error: null, owner: null, leaseExpiresAt: null });
      expect(byKey.d?.finishedAt).toBe(later(5).toISOString());
      expect(byKey.f).toMatchObject({ status: 'failed', error: 'model answered 500' });
      expect(byKey.c).toMatchObject({ status: 'cancelled', error: null });
      expect(await a.jobs.claimJob({ kinds: ['x'], owner: 'w', leaseMs: 1_000, now: later(60_000) })).toBeNull();
      expect(await a.jobs.listJobs({ statuses: ['done', 'failed'] })).toHaveLength(2);
      expect(await a.jobs.listJobs({ kinds: ['y'] })).toHaveLength(0);
    });

    it('a cancel ends a queued job at once and flags a running one for its worker, by id or by key', async () => {
      const [a, b] = await twoConnections();
      const queued = (await a.jobs.enqueueJob({ kind: 'x', key: 'q', payload: {} }, t0)).job;
      const running = (await a.jobs.enqueueJob({ kind: 'x', key: 'r', payload: {} }, later(1))).job;
      expect((await a.jobs.claimJob({ kinds: ['x'], owner: 'w', leaseMs: 9_000, now: later(2) }))?.id).toBe(queued.id);
      await a.jobs.releaseJob(queued.id, 'w');
      // Queue order is creation order, so release the first and claim it again to reach the second.
      await a.jobs.claimJob({ kinds: ['x'], owner: 'w', leaseMs: 9_000, now: later(3) });
      expect((await a.jobs.claimJob({ kinds: ['x'], owner: 'w', leaseMs: 9_000, now: later(3) }))?.id).toBe(running.id);
      await a.jobs.releaseJob(queued.id, 'w');

      expect(await b.jobs.requestJobCancel({ key: 'q' })).toMatchObject({ status: 'cancelled', cancelRequested: true });
      expect(await b.jobs.requestJobCancel({ id: running.id })).toMatchObject({
        status: 'running',
        owner: 'w',
        cancelRequested: true,
      });
      expect(await a.jobs.isCancelRequested(running.id)).toBe(true);
      expect(await a.jobs.isCancelRequested('nope')).toBe(false);
      expect(await b.jobs.requestJobCancel({ key: 'nope' })).toBeNull();
      expect(await a.jobs.finishJob(running.id, 'w', 'cancelled')).toBe(true);
      // Asking again changes nothing on a finished job.
      expect(await b.jobs.requestJobCancel({ id: running.id })).toMatchObject({ status: 'cancelled' });
    });

    it('release (shutdown) puts a running job back in the queue with its payload, to be resumed', async () => {
      const [a, b] = await twoConnections();
      const { job } = await a.jobs.enqueueJob({ kind: 'x', key: 'k', payload: { resume: true } }, t0);
      await a.jobs.claimJob({ kinds: ['x'], owner: 'w1', leaseMs: 60_000, now: t0 });
      expect(await a.jobs.releaseJob(job.id, 'w1')).toBe(true);
      expect(await a.jobs.getJobByKey('k')).toMatchObject({ status: 'queued', owner: null, leaseExpiresAt: null });
      expect(await b.jobs.claimJob({ kinds: ['x'], owner: 'w2', leaseMs: 60_000, now: later(1) })).toMatchObject({
        id: job.id,
        owner: 'w2',
        attempts: 2,
        payload: { resume: true },
      });
    });

    it("a dead thread's jobs, or at start-up every running job, go back to the queue at once", async () => {
      const [a] = await twoConnections();
      for (const key of ['a1', 'a2', 'b1']) await a.jobs.enqueueJob({ kind: 'x', key, payload: {} }, t0);
      await a.jobs.claimJob({ kinds: ['x'], owner: 'a', leaseMs: 60_000, now: t0 });
      await a.jobs.claimJob({ kinds: ['x'], owner: 'a', leaseMs: 60_000, now: t0 });
      await a.jobs.claimJob({ kinds: ['x'], owner: 'b', leaseMs: 60_000, now: t0 });
      expect(await a.jobs.releaseJobsOf('a')).toBe(2);
      expect((await a.jobs.listJobs({ statuses: ['queued'] })).map((j) => j.key)).toEqual(['a1', 'a2']);
      expect(await a.jobs.requeueRunningJobs()).toBe(1);
      expect(await a.jobs.listJobs({ statuses: ['running'] })).toHaveLength(0);
    });
  });
}
