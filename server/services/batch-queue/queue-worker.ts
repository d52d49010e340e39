import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import type { BatchQueue, ChunkJob } from './batch-queue.ts';
import type { ChunkPlayer } from './chunk-player.ts';

/** The pause before a chunk whose failure could not be counted is offered again. */
const UNCOUNTED_RETRY_SECONDS = 10;

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface QueueWorkerOptions {
  queue: BatchQueue;
  player: ChunkPlayer;
  log: Logger;
  /** Chunks played at once by this process (each plays its episodes with its run's concurrency). */
  slots?: number;
  /** How long an idle slot waits before asking the queue again. */
  idlePollMs?: number;
  /** At stop, how long running chunks get to store what they have before their chunks are released anyway. */
  stopGraceMs?: number;
}

/**
 * Works the chunk queue until stopped: each slot claims a chunk, plays it and completes it. `stop` (SIGTERM) aborts
 * the chunks being played, gives them a moment to store their aborted episodes, and releases them to the queue at
 * once, so another worker takes them over without waiting for their expiry.
 */
export class QueueWorker {
  private readonly stopping = new AbortController();
  /** The chunks this process plays: when each expires without a heartbeat, and when it was last renewed. */
  private readonly claimed = new Map<string, { expiryMs: number; renewedAt: number }>();
  private loops: Promise<void>[] = [];
  /** Chunks this process played to their end; the test and the log line at exit report it. */
  completed = 0;

  constructor(private readonly options: QueueWorkerOptions) {}

  private heartbeat: NodeJS.Timeout | null = null;

  start(): void {
    const { queue, log } = this.options;
    // Each chunk is renewed every quarter of its expiry, so a slow beat or two does not lose it.
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      const due = [...this.claimed].filter(([, c]) => now - c.renewedAt >= c.expiryMs / 4);
      for (const [, c] of due) c.renewedAt = now;
      queue
        .heartbeat(due.map(([id]) => id))
        .catch((error: unknown) => log.warn({ err: error }, 'chunk heartbeat failed'));
    }, 250);
    const slots = Math.max(1, this.options.slots ?? 1);
    for (let i = 0; i < slots; i++) this.loops.push(this.loop());
  }

  /** Returns how many chunks it gave back. */
  async stop(): Promise<number> {
    this.stopping.abort('shutdown');
    if (this.heartbeat) clearInterval(this.heartbeat);
    const grace = sleep(this.options.stopGraceMs ?? 1500, undefined, { ref: false });
    await Promise.race([Promise.allSettled(this.loops), grace]);
    const { queue, log } = this.options;
    const released = this.claimed.size;
    for (const id of this.claimed.keys()) {
      await queue
        .release(id)
        .catch((error: unknown) => log.warn({ err: error, chunkJob: id }, 'releasing a chunk failed'));
    }
    this.claimed.clear();
    return released;
  }

  /**
   * A chunk whose play threw (a database error, a model this worker does not declare): counted against the run's
   * tries; it goes back to the queue after its backoff, or, on its last try, its entries are recorded as failed and it
   * is completed. Should the counting or the recording fail too (the database is unreachable), it goes back after a
   * fixed pause; if giving it back fails as well, its expiry returns it.
   */
  private async failed(id: string, chunk: ChunkJob, error: unknown): Promise<void> {
    const { queue, player, log } = this.options;
    const where = { err: error, runId: chunk.runId, chunk: chunk.chunk };
    try {
      const outcome = await player.failed(chunk, error);
      if (outcome.givenUp) {
        await queue.complete(id);
        log.error(
          { ...where, tries: outcome.tries, limit: outcome.limit },
          'chunk failed on its last try; its entries without a line are recorded as failed',
        );
      } else {
        await queue.retryLater(id, outcome.retryInSeconds, errorMessage(error));
        log.warn(
          { ...where, tries: outcome.tries, limit: outcome.limit, retryInSeconds: outcome.retryInSeconds },
          'chunk failed; it goes back to the queue',
        );
      }
    } catch (countError) {
      log.error(
        { ...where, countErr: errorMessage(countError) },
        'chunk failed, and counting the try or recording its entries failed too; it goes back to the queue',
      );
      await queue.retryLater(id, UNCOUNTED_RETRY_SECONDS, errorMessage(error)).catch(() => undefined);
    }
  }

  private async loop(): Promise<void> {
    const { queue, player, log } = this.options;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let claim = null;
      try {
        claim = await queue.claim();
      } catch (error) {
        log.warn({ err: error }, 'claiming a chunk failed; trying again');
      }
      if (!claim) {
        await sleep(this.options.idlePollMs ?? 500, undefined, { signal }).catch(() => undefined);
        continue;
      }
      this.claimed.set(claim.id, { expiryMs: claim.expirySeconds * 1000, renewedAt: Date.now() });
      // Claimed while stopping (the claim was on its way at SIGTERM): stop() gives it back with the others and counts
      // it, rather than this loop releasing it on the side after stop() has reported.
      if (signal.aborted) break;
      const { chunk } = claim;
      try {
        const outcome = await player.play(chunk, signal);
        if (signal.aborted) break; // stop() releases it
        this.claimed.delete(claim.id);
        // A cancelled run's chunk is completed too: its run's cancel already took it off pg-boss, and complete is then a no-op.
        await queue.complete(claim.id);
        if (!outcome.stopped) this.completed += 1;
        log.info({ runId: chunk.runId, chunk: chunk.chunk, ...outcome }, 'chunk ended');
      } catch (error) {
        if (signal.aborted) break;
        this.claimed.delete(claim.id);
        await this.failed(claim.id, chunk, error);
        // Not straight back to a chunk that may fail the same way.
        await sleep(this.options.idlePollMs ?? 500, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
