interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The person's replies waiting for their ack, by client message id: each is acknowledged with its seq once it is
 * stored, never before, and all of them fail together when the episode stops here (ended, or taken over by another
 * node) so no browser waits for an ack that cannot come.
 */
export class ReplyAcks {
  private readonly waiting = new Map<string, Deferred<number>>();

  /** The stored seq of the reply with this id, once it is stored (one promise however often it is asked). */
  wait(clientMessageId: string): Promise<number> {
    const existing = this.waiting.get(clientMessageId);
    if (existing) return existing.promise;
    const d = deferred<number>();
    this.waiting.set(clientMessageId, d);
    return d.promise;
  }

  has(clientMessageId: string): boolean {
    return this.waiting.has(clientMessageId);
  }

  stored(clientMessageId: string, seq: number): void {
    this.waiting.get(clientMessageId)?.resolve(seq);
    this.waiting.delete(clientMessageId);
  }

  failAll(error: unknown): void {
    for (const d of this.waiting.values()) d.reject(error);
    this.waiting.clear();
  }
}
