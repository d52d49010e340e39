import pLimit, { type LimitFunction } from 'p-limit';

/**
 * The study mutex's in-process queue: one p-limit(1) per study with work waiting, dropped when its queue drains.
 *
 * Why: the study mutex is the `live_study_settings` row lock (PostgresStudyWorkStorage). Without this queue every
 * claim of a busy study took a pool connection first and then waited on the row lock inside its transaction, so a
 * node's whole pool could sit in that wait while the node's other writes (a reply's events) waited for a connection.
 * Queued here, a node sends at most one transaction per study to the row lock at a time; the rest wait in memory,
 * holding no connection. The row lock stays the mutex between nodes (and processes); this only orders a node's own.
 */
export class StudyLockQueue {
  // `users`: runs of the study queued or running here, counted by us rather than read from p-limit's counters, which
  // it updates a few microtasks after the work settles.
  private readonly queues = new Map<string, { limit: LimitFunction; users: number }>();

  /** Runs `work` after every earlier `run` of the same study on this queue has settled (FIFO). */
  async run<T>(studyId: string, work: () => Promise<T>): Promise<T> {
    let queue = this.queues.get(studyId);
    if (!queue) {
      queue = { limit: pLimit(1), users: 0 };
      this.queues.set(studyId, queue);
    }
    queue.users++;
    try {
      return await queue.limit(work);
    } finally {
      // The last one out removes the study's queue, so studies that are done cost nothing.
      if (--queue.users === 0) this.queues.delete(studyId);
    }
  }

  /** Studies with work queued or running. */
  get size(): number {
    return this.queues.size;
  }
}
