import pLimit, { type LimitFunction } from 'p-limit';

/** The served thread's gate: from 8 research steps at once up to the most a model may run (1,024), every 100 ms. */
export const RESEARCH_GATE: ResearchGateBounds = { min: 8, max: 1024, busy: 0.9, spare: 0.6 };
export const RESEARCH_GATE_EVERY_MS = 100;

/** The gate's limits and how it reads the thread's load (event-loop utilization over the last interval, 0 to 1). */
export interface ResearchGateBounds {
  min: number;
  max: number;
  /** Above this utilization the limit is halved. */
  busy: number;
  /** Below it, with steps waiting, the limit is doubled. */
  spare: number;
}

/**
 * The model-call thread's gate for research steps (a twin's reply and its label, judging): how many run at once.
 * The person's calls and labels do not pass it. Each interval the thread tells it how busy its event loop was
 * (`adjust`): above `busy` the limit halves (not below `min`); below `spare`, with steps waiting, it doubles (not above
 * `max`); in between it stays.
 *
 * Why a limit: at 1,000 live persons the thread is busy all the time, and every step in flight adds its call's
 * events to the queue that a person's next turn waits in; most steps there are research. Why one that moves: a
 * fixed limit low enough for steps that are all CPU (a local model answering at once) would throttle a real
 * provider, whose steps mostly wait on the network: 8 at a time at 3 s each is under 3 steps a second, where the
 * twins of 200 persons need about 14. Measured in docs/ARCHITECTURE.md ("research steps wait behind the person's").
 */
export class ResearchGate {
  readonly #limit: LimitFunction;

  constructor(readonly bounds: ResearchGateBounds) {
    this.#limit = pLimit(bounds.min);
  }

  run<T>(step: () => Promise<T>): Promise<T> {
    return this.#limit(step);
  }

  /** Steps running now, and waiting for their turn. */
  get running(): number {
    return this.#limit.activeCount;
  }

  get waiting(): number {
    return this.#limit.pendingCount;
  }

  get limit(): number {
    return this.#limit.concurrency;
  }

  /** How busy the thread's event loop was over the last interval (0 to 1). */
  adjust(utilization: number): void {
    const { min, max, busy, spare } = this.bounds;
    const now = this.#limit.concurrency;
    if (utilization > busy) this.#limit.concurrency = Math.max(min, Math.floor(now / 2));
    else if (utilization < spare && this.#limit.pendingCount > 0) this.#limit.concurrency = Math.min(max, now * 2);
  }
}
