import pLimit, { type LimitFunction } from 'p-limit';

/**
 * The server's one concurrency limit (model calls, batch episodes, generation steps): p-limit's FIFO queue, so calls
 * start in the order they were submitted and never more than `max` at once, plus the two things p-limit lacks that the
 * callers need: a queued call whose signal fires leaves at once, rejecting with the signal's reason and never starting
 * (a cancelled model call must not hold up its episode until a slot frees), and `map`, which stops starting items once
 * a signal fires or an item fails.
 */
export class ConcurrencyLimit {
  readonly #limit: LimitFunction;
  /** Calls that left the queue on abort but are still in p-limit's queue until their turn comes (then skipped). */
  #abandoned = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
    this.#limit = pLimit(max);
  }

  /** Calls running now. */
  get active(): number {
    return this.#limit.activeCount;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.#limit.pendingCount - this.#abandoned;
  }

  /**
   * Runs `fn` when a slot is free. If `signal` fires while the call waits, the returned promise rejects with the
   * signal's reason at once and `fn` is never called; once `fn` has started, stopping it is `fn`'s business.
   */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!signal) return this.#limit(fn);
    if (signal.aborted) return Promise.reject(signal.reason as unknown);
    return new Promise<T>((resolve, reject) => {
      const leave = (): void => {
        this.#abandoned++;
        reject(signal.reason as unknown);
      };
      signal.addEventListener('abort', leave, { once: true });
      void this.#limit(async () => {
        if (signal.aborted) {
          // Already rejected by `leave`: give the slot straight back.
          this.#abandoned--;
          return;
        }
        signal.removeEventListener('abort', leave);
        try {
          resolve(await fn());
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /**
   * `fn` over `items`, started in item order, results in item order. Once `signal` fires, or an item has thrown, no
   * further item starts: those give `undefined` (the first error is what the returned promise rejects with).
   */
  async map<T, R>(
    items: readonly T[],
    signal: AbortSignal,
    fn: (item: T, index: number) => Promise<R>,
  ): Promise<(R | undefined)[]> {
    let failed = false;
    return Promise.all(
      items.map((item, index) =>
        this.#limit(async () => {
          if (failed || signal.aborted) return undefined;
          try {
            return await fn(item, index);
          } catch (error) {
            failed = true;
            throw error;
          }
        }),
      ),
    );
  }
}
