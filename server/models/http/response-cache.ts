import { createHash } from 'node:crypto';
import type { ModelMessage } from '../model-provider.ts';

/**
 * In-process memo of model answers, keyed like the reference's cache (messages, temperature, max tokens, JSON
 * mode). A pending entry is shared, so identical calls made at the same time cost one request. Failed calls are
 * forgotten so that a later identical call tries again.
 */
export class ResponseCache<T> {
  readonly #entries = new Map<string, Promise<T>>();

  /** Bounded so a long study cannot grow memory without limit; the oldest entry goes first. */
  constructor(private readonly maxEntries = 10_000) {}

  static key(parts: unknown): string {
    return JSON.stringify(parts);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The stored or in-flight answer for `key`, if any. */
  get(key: string): Promise<T> | undefined {
    return this.#entries.get(key);
  }

  /** Starts `produce`, stores its pending result under `key` and returns it. */
  start(key: string, produce: () => Promise<T>): Promise<T> {
    const pending = produce();
    this.#entries.set(key, pending);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    pending.catch(() => {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
    });
    return pending;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * The messages as a cache key sees them: an image stands for the sha256 of its bytes. Serialising the bytes
 * themselves would write every byte as a JSON number on every call, and keep that string in the cache.
 */
export function messagesForKey(messages: readonly ModelMessage[]): unknown[] {
  return messages.map((m) =>
    m.images?.length
      ? {
          ...m,
          images: m.images.map((i) => ({
            mediaType: i.mediaType,
            sha256: createHash('sha256').update(i.data).digest('hex'),
          })),
        }
      : m,
  );
}
