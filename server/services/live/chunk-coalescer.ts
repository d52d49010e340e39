import type { StreamingTurn } from '../../../shared/protocol/live.ts';

/** How long a model's text delta may wait to be sent together with the ones after it. */
export const CHUNK_WINDOW_MS = 50;

export type ChunkSend = (turn: number, index: number, delta: string, restart: boolean) => void;

/**
 * The model's streamed text of one episode, sent to the browser in pieces: the deltas that arrive within `windowMs` of
 * the first unsent one go out as one `episode:chunked`. Why: every emit is a WebSocket frame and a write system call,
 * and a model streaming token by token sends far more deltas than a person can read; at ≤50 ms the text still appears
 * to flow. Indexes count the pieces actually sent (0, 1, 2 … per turn, so browsers still see a gap), and `streaming`
 * is exactly what was sent, so a resync continues at the next index without repeating or skipping text.
 */
export class ChunkCoalescer {
  private pending: { turn: number; delta: string } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** What has been sent of the turn being streamed: what a resync hands out. */
  streaming: StreamingTurn | null = null;

  constructor(
    private readonly windowMs: number,
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
    if (this.windowMs <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), this.windowMs);
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
