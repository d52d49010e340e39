import type { BatchProgress } from './batch-spec.ts';

/**
 * The counters of a batch or generation run, handed to the listener (the CLI's progress line, the browser's run
 * page) whenever work starts or ends.
 */
export class ProgressCounter {
  readonly #started = Date.now();
  readonly #counts: Omit<BatchProgress, 'elapsedMs'> = { total: 0, done: 0, failed: 0, skipped: 0, running: 0 };

  constructor(private readonly onProgress?: (progress: BatchProgress) => void) {}

  /** The size of the run: every item, and those an earlier run already finished. */
  begin(total: number, skipped: number): void {
    this.#counts.total = total;
    this.#counts.skipped = skipped;
    this.report();
  }

  started(): void {
    this.#counts.running += 1;
    this.report();
  }

  /** An item stopped running: finished, failed, or neither (cancelled, or stopped by an error of the run's own). */
  ended(outcome: 'done' | 'failed' | 'aborted' | null): void {
    if (outcome === 'done') this.#counts.done += 1;
    if (outcome === 'failed') this.#counts.failed += 1;
    this.#counts.running -= 1;
    this.report();
  }

  /** An outcome of an item that was not counted as running (a step shared by several items failed). */
  count(outcome: 'done' | 'failed'): void {
    this.#counts[outcome] += 1;
    this.report();
  }

  snapshot(): BatchProgress {
    return { ...this.#counts, elapsedMs: Date.now() - this.#started };
  }

  report(): void {
    this.onProgress?.(this.snapshot());
  }
}
