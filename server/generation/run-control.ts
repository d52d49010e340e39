import { appendFileSync } from 'node:fs';
import { ModelCallError } from '../models/model-provider.ts';
import { StepFailure } from './generation-errors.ts';

export type StopReason = 'spend_cap' | 'interrupted' | 'limit' | 'personas_incomplete' | 'general_dimensions_failed';

/**
 * Whether a generation run goes on, and what its failures were. The run's own signal fires on the caller's signal
 * (Ctrl-C) and on any stop (spend cap, `--max-pairs`, a phase that cannot finish); the first stop's reason is the one
 * reported.
 */
export class RunControl {
  readonly #controller = new AbortController();
  readonly #outer: AbortSignal;
  readonly #onOuterAbort = (): void => this.#controller.abort();
  #stopped: { reason: StopReason; message: string } | null = null;

  constructor(
    outer: AbortSignal,
    private readonly failuresFile: string,
    private readonly model: string,
  ) {
    this.#outer = outer;
    outer.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  /** Fires when the run must start nothing new; every model call of the run listens on it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get stopped(): { reason: StopReason; message: string } | null {
    return this.#stopped;
  }

  stop(reason: StopReason, message: string): void {
    this.#stopped ??= { reason, message };
    this.#controller.abort();
  }

  /**
   * A failure of one pair or persona goes to the failures file (with `item` saying which) and the run goes on; a spend
   * cap or cancellation stops the whole run instead. Returns whether the failure was written. Anything that is not a
   * step or model-call failure is a bug and is thrown.
   */
  fail(error: unknown, item: Record<string, unknown>): boolean {
    if (error instanceof ModelCallError && (error.code === 'spend_cap' || error.code === 'aborted')) {
      if (error.code === 'spend_cap') this.stop('spend_cap', error.message);
      else this.stop('interrupted', 'interrupted');
      return false;
    }
    if (this.signal.aborted) return false;
    const failure =
      error instanceof StepFailure
        ? { stage: error.stage, reason: error.message, issues: error.issues }
        : error instanceof ModelCallError
          ? { stage: 'model_call', reason: `${error.code}: ${error.message}`, issues: [] }
          : null;
    if (failure === null) throw error;
    appendFileSync(
      this.failuresFile,
      `${JSON.stringify({ ...item, ...failure, model: this.model, at: new Date().toISOString() })}\n`,
    );
    return true;
  }

  /** A caller's Ctrl-C that no phase noticed still counts as an interruption. */
  settle(): void {
    if (this.#outer.aborted) this.stop('interrupted', 'interrupted');
  }

  /** Stops listening on the caller's signal, once the run is over. */
  dispose(): void {
    this.#outer.removeEventListener('abort', this.#onOuterAbort);
  }
}
