import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';

/** pg-boss's schema (its default), where its job table is. */
const PGBOSS_SCHEMA = 'pgboss';

/** The pg-boss queue whose jobs are chunks of shared batch runs. */
export const CHUNK_QUEUE = 'prefdisco-batch-chunk';

/** One queue job: plan positions [from, to) of a run. */
export interface ChunkJob {
  runId: string;
  chunk: number;
  from: number;
  to: number;
}

export interface ClaimedChunk {
  /** pg-boss's id of the job (the same for every claim of the chunk). */
  id: string;
  chunk: ChunkJob;
  /** The chunk expires this long after its last heartbeat. */
  expirySeconds: number;
}

export interface BatchQueueOptions {
  /**
   * How long a claimed chunk may go without its worker's heartbeat before pg-boss gives it to another worker (a worker
   * killed without shutting down never completes or releases it). Workers renew it every quarter of this.
   */
  chunkExpirySeconds?: number;
  /** How often this process may run pg-boss's maintenance, which is what notices expired chunks. */
  maintenanceSeconds?: number;
}

/**
 * A chunk's job id, worked out from the run and chunk number: enqueueing a run again (its coordinator resumed after
 * a restart) inserts nothing new, since pg-boss ignores a job whose id it has, and a cancel names the ids without
 * reading them. pg-boss ids are UUIDs; these are SHA-256 bits in the UUID layout (version 8, "custom").
 */
export function chunkJobId(runId: string, chunk: number): string {
  const h = createHash('sha256').update(`${runId}:${chunk}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The chunks of a plan of `jobs` entries, `chunkSize` each, the last one shorter. */
export function planChunks(runId: string, jobs: number, chunkSize: number): ChunkJob[] {
  const chunks: ChunkJob[] = [];
  for (let from = 0, chunk = 0; from < jobs; from += chunkSize, chunk++)
    chunks.push({ runId, chunk, from, to: Math.min(jobs, from + chunkSize) });
  return chunks;
}

/**
 * The PostgreSQL job queue shared batch runs go through (pg-boss 10, in its own `pgboss` schema of the app's
 * database). It holds only which chunk of which run to play; what was played is in the app's tables, so a chunk
 * played twice (its worker died mid-chunk, pg-boss retried it) stores each entry once. Workers claim with `claim`
 * (pg-boss's `FOR UPDATE SKIP LOCKED` fetch: two workers never get the same chunk), then `complete` or, when they
 * stop before the end, `release` it for the next claim.
 */
export class BatchQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly chunkExpirySeconds: number,
  ) {}

  static async open(url: string, options: BatchQueueOptions = {}): Promise<BatchQueue> {
    const boss = new PgBoss({
      connectionString: url,
      schema: PGBOSS_SCHEMA,
      max: 3,
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceSeconds ?? 15,
    });
    // pg-boss reports failures of its own timers (maintenance) here; without a listener they would end the process.
    boss.on('error', () => undefined);
    await boss.start();
    if (!(await boss.getQueue(CHUNK_QUEUE))) {
      try {
        await boss.createQueue(CHUNK_QUEUE, { name: CHUNK_QUEUE });
      } catch (error) {
        // Another process made it at the same moment.
        if (!(await boss.getQueue(CHUNK_QUEUE))) throw error;
      }
    }
    return new BatchQueue(boss, options.chunkExpirySeconds ?? 60);
  }

  /** Enqueues every chunk of a run (again: nothing happens to chunks already there, done or not). */
  async enqueue(chunks: readonly ChunkJob[]): Promise<void> {
    await this.boss.insert(
      chunks.map((c) => ({
        id: chunkJobId(c.runId, c.chunk),
        name: CHUNK_QUEUE,
        data: c,
        expireInSeconds: this.chunkExpirySeconds,
        // A chunk comes back after its worker died or stopped; that is no fault of the chunk, so pg-boss never gives it
        // up. Failures of the chunk itself are counted in queued_run_chunk_failures, whose limit the run sets.
        retryLimit: 1_000_000,
        retryDelay: 0,
        retryBackoff: false,
        // Kept after completion for a day, so a resumed coordinator's enqueue finds them and adds nothing.
        keepUntil: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
      })),
    );
  }

  /** The next chunk waiting, now this process's, or null. */
  async claim(): Promise<ClaimedChunk | null> {
    const [job] = await this.boss.fetch<ChunkJob>(CHUNK_QUEUE, { batchSize: 1 });
    if (!job) return null;
    // A chunk retried after a failure carries its backoff in retry_delay; should this claim's worker die, the
    // expired chunk goes to the next worker at once, as any other.
    await this.boss
      .getDb()
      .executeSql(
        `UPDATE ${PGBOSS_SCHEMA}.job SET retry_delay = 0 WHERE name = $1 AND id = $2::uuid AND retry_delay <> 0`,
        [CHUNK_QUEUE, job.id],
      );
    return { id: job.id, chunk: job.data, expirySeconds: Number(job.expireInSeconds) };
  }

  async complete(id: string): Promise<void> {
    await this.boss.complete(CHUNK_QUEUE, id);
  }

  /**
   * Renews chunks this worker plays. pg-boss 10 has no heartbeat: a job expires `expire_in` after its `started_on`,
   * so moving `started_on` on keeps a long chunk (real models: minutes) with its live worker, while a dead worker's
   * chunk expires within the expiry (a fixed expiry long enough for any chunk left one for a quarter of an hour).
   */
  async heartbeat(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.boss
      .getDb()
      .executeSql(
        `UPDATE ${PGBOSS_SCHEMA}.job SET started_on = now() WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
        [CHUNK_QUEUE, [...ids]],
      );
  }

  /** Gives a claimed chunk back at once (this worker stops): the next claim plays what it had not stored. */
  async release(id: string): Promise<void> {
    await this.failAfter(id, 0, 'released by a worker that stopped');
  }

  /**
   * Gives a chunk whose play failed back to the queue, to be claimed again no sooner than `delaySeconds` from now (the
   * caller counts the tries in the app's tables: pg-boss's own count would also spend them on stops and expiries).
   */
  async retryLater(id: string, delaySeconds: number, reason: string): Promise<void> {
    await this.failAfter(id, delaySeconds, reason);
  }

  /**
   * pg-boss's `fail` puts a job with tries left back as `retry`, startable `retry_delay` seconds later; the delay is
   * the job's column, set here just before, so a release waits for nothing and a failed chunk for its backoff. A
   * chunk that then expires (its next worker killed) is retried after the delay last set; release sets it back to 0.
   */
  private async failAfter(id: string, delaySeconds: number, reason: string): Promise<void> {
    await this.boss
      .getDb()
      .executeSql(
        `UPDATE ${PGBOSS_SCHEMA}.job SET retry_delay = $3, retry_backoff = false WHERE name = $1 AND id = $2::uuid AND state = 'active'`,
        [CHUNK_QUEUE, id, Math.max(0, Math.round(delaySeconds))],
      );
    await this.boss.fail(CHUNK_QUEUE, id, { reason });
  }

  /** Cancels the run's chunks not yet completed (queued or being played: their workers see the run's flag). */
  async cancelRun(chunks: readonly ChunkJob[]): Promise<void> {
    if (chunks.length === 0) return;
    await this.boss.cancel(
      CHUNK_QUEUE,
      chunks.map((c) => chunkJobId(c.runId, c.chunk)),
    );
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, timeout: 1000 });
  }
}
