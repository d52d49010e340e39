/** Gives back a slot taken with `acquire`. Calling it more than once has no further effect. */
export type Release = () => void;

interface Waiter {
  grant: () => void;
}

/**
 * A FIFO counting semaphore: at most `max` holders at once, later callers wait in arrival order. A waiter whose
 * signal fires leaves the queue and rejects with the signal's reason, so a cancelled call never takes a slot.
 */
export class ConcurrencyLimit {
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`concurrency limit must be a positive integer, got ${max}`);
  }

  /** Slots currently held. */
  get active(): number {
    return this.#active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.max) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next waiter so a newcomer cannot overtake the queue.
      const next = this.#queue.shift();
      if (next) next.grant();
      else this.#active--;
    };
  }
}
