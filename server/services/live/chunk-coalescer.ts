import type { StreamingTurn } from '../../../shared/protocol/live.ts';
import { loopUtilization } from './loop-load.ts';

/** How long a model's text delta may wait to be sent together with the ones after it, while the loop has time. */
export const CHUNK_WINDOW_MS = 50;
/** The longest wait, when the loop is saturated: the text still moves five times a second. */
export const BUSY_CHUNK_WINDOW_MS = 200;
/** Loop utilization up to which the window stays CHUNK_WINDOW_MS, and from which it is BUSY_CHUNK_WINDOW_MS. */
const CALM_UTILIZATION = 0.6;
const SATURATED_UTILIZATION = 0.95;

/**
 * The window for the loop's current utilization (loop-load.ts): CHUNK_WINDOW_MS while it has time, growing in a straight
 * line to BUSY_CHUNK_WINDOW_MS as it saturates. Why: on a busy server most of the live loop's work is sending the
 * model's pieces (one WebSocket frame and one write system call each: at 1,000 persons about a quarter of the loop),
 * and every person's acknowledgement waits behind it. Under load fewer, larger pieces carry the same text, and a
 * reply's ack waits less; on a quiet server nothing changes.
 */
export function chunkWindowFor(utilization: number): number {
  if (!(utilization > CALM_UTILIZATION)) return CHUNK_WINDOW_MS;
  const t = Math.min(1, (utilization - CALM_UTILIZATION) / (SATURATED_UTILIZATION - CALM_UTILIZATION));
  return Math.round(CHUNK_WINDOW_MS + t * (BUSY_CHUNK_WINDOW_MS - CHUNK_WINDOW_MS));
}

/** The window of a served live episode: chunkWindowFor this thread's loop utilization now. */
export const loadAdaptiveChunkWindow = (): number => chunkWindowFor(loopUtilization());

export type ChunkSend = (turn: number, index: number, delta: string, restart: boolean) => void;

/**
 * The model's streamed text of one episode, sent to the browser in pieces: the deltas that arrive within `windowMs` of
 * the first unsent one go out as one `episode:chunked`. Why: every emit is a WebSocket frame and a write system call,
 * and a model streaming token by token sends far more deltas than a person can read; at ≤50 ms the text still appears
 * to flow (and under load the window grows: chunkWindowFor). Indexes count the pieces actually sent (0, 1, 2 … per turn, so browsers still see a gap), and `streaming`
 * is exactly what was sent, so a resync continues at the next index without repeating or skipping text.
 */
export class ChunkCoalescer {
  private pending: { turn: number; delta: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** What has been sent of the turn being streamed: what a resync hands out. */
  streaming: StreamingTurn | null = null;

  /** `windowMs`: a fixed window, or a function read when a piece starts waiting (chunkWindowFor under load). */
  constructor(
    private readonly windowMs: number | (() => number),
    private readonly send: ChunkSend,
  ) {}

  add(turn: number, delta: string): void {
    if (delta === '') return;
    if (this.pending && this.pending.turn !== turn) this.flush();
    if (this.pending) {
      this.pending.delta += delta;
      return;
    }
    this.pending = { turn, delta };
    const windowMs = typeof this.windowMs === 'number' ? this.windowMs : this.windowMs();
    if (windowMs <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), windowMs);
  }

  /** Sends what is waiting now: before the turn's whole message is announced, so no piece arrives after it. */
  flush(): void {
    this.clearTimer();
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    if (!this.streaming || this.streaming.turn !== p.turn) this.streaming = { turn: p.turn, text: '', chunks: 0 };
    const index = this.streaming.chunks;
    this.streaming.text += p.delta;
    this.streaming.chunks += 1;
    this.send(p.turn, index, p.delta, false);
  }

  /** The model call was retried and streams its turn again: what waits is dropped, browsers start over at index 0. */
  restart(turn: number): void {
    this.discard();
    this.streaming = { turn, text: '', chunks: 1 };
    this.send(turn, 0, '', true);
  }

  /** The turn's message is stored and announced: nothing of it streams any more. */
  ended(): void {
    this.streaming = null;
  }

  /** The episode stopped: nothing more is sent. */
  discard(): void {
    this.clearTimer();
    this.pending = null;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
