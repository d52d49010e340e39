import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BUSY_CHUNK_WINDOW_MS,
  CHUNK_WINDOW_MS,
  ChunkCoalescer,
  chunkWindowFor,
} from '../../server/services/live/chunk-coalescer.ts';

type Sent = { turn: number; index: number; delta: string; restart: boolean };

describe('ChunkCoalescer', () => {
  let sent: Sent[];
  let c: ChunkCoalescer;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    c = new ChunkCoalescer(50, (turn, index, delta, restart) => sent.push({ turn, index, delta, restart }));
  });
  afterEach(() => vi.useRealTimers());

  it('sends the deltas of one window as one piece, at most the window after the first, indexes counting pieces sent', () => {
    c.add(0, 'Hel');
    vi.advanceTimersByTime(20);
    c.add(0, 'lo');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(sent).toEqual([{ turn: 0, index: 0, delta: 'Hello', restart: false }]);
    c.add(0, ', world');
    vi.advanceTimersByTime(50);
    expect(sent.map((s) => [s.index, s.delta])).toEqual([
      [0, 'Hello'],
      [1, ', world'],
    ]);
    // What a resync hands out is exactly what was sent.
    expect(c.streaming).toEqual({ turn: 0, text: 'Hello, world', chunks: 2 });
  });

  it('what waits is sent before the turn ends, and a new turn starts at index 0', () => {
    c.add(0, 'Question?');
    c.flush();
    c.ended();
    expect(c.streaming).toBeNull();
    c.add(1, 'Ans');
    c.add(2, 'x');
    expect(sent.map((s) => [s.turn, s.index, s.delta])).toEqual([
      [0, 0, 'Question?'],
      [1, 0, 'Ans'],
    ]);
    vi.advanceTimersByTime(50);
    expect(sent.at(-1)).toEqual({ turn: 2, index: 0, delta: 'x', restart: false });
  });

  it('a restart drops what waits and starts the turn over; discard stops everything', () => {
    c.add(0, 'partial');
    c.restart(0);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([{ turn: 0, index: 0, delta: '', restart: true }]);
    c.add(0, 'again');
    vi.advanceTimersByTime(50);
    expect(sent.at(-1)).toEqual({ turn: 0, index: 1, delta: 'again', restart: false });
    expect(c.streaming).toEqual({ turn: 0, text: 'again', chunks: 2 });
    c.add(0, 'never sent');
    c.discard();
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });

  it('with a window of 0 every delta is sent at once', () => {
    const now = new ChunkCoalescer(0, (turn, index, delta, restart) => sent.push({ turn, index, delta, restart }));
    now.add(3, 'a');
    now.add(3, 'b');
    expect(sent.map((s) => [s.index, s.delta])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });
});

describe('chunkWindowFor', () => {
  it('keeps the quiet window while the loop has time, and widens it only as the loop saturates', () => {
    for (const u of [0, 0.3, 0.6, Number.NaN]) expect(chunkWindowFor(u)).toBe(CHUNK_WINDOW_MS);
    expect(chunkWindowFor(0.7)).toBeGreaterThan(CHUNK_WINDOW_MS);
    expect(chunkWindowFor(0.8)).toBeGreaterThan(chunkWindowFor(0.7));
    expect(chunkWindowFor(0.9)).toBeGreaterThan(chunkWindowFor(0.8));
    for (const u of [0.95, 0.99, 1, 2]) expect(chunkWindowFor(u)).toBe(BUSY_CHUNK_WINDOW_MS);
  });
});

describe('ChunkCoalescer with a window that follows the load', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads the window when a piece starts waiting, so a busier loop sends fewer, larger pieces', () => {
    const sent: string[] = [];
    let windowMs = 50;
    const c = new ChunkCoalescer(
      () => windowMs,
      (_turn, _index, delta) => sent.push(delta),
    );
    // Quiet: a delta every 50 ms goes out alone.
    for (const d of ['a', 'b', 'c', 'd']) {
      c.add(0, d);
      vi.advanceTimersByTime(50);
    }
    expect(sent).toEqual(['a', 'b', 'c', 'd']);
    // Busy: the same pace, two at a time.
    windowMs = 100;
    for (const d of ['e', 'f', 'g', 'h']) {
      c.add(0, d);
      vi.advanceTimersByTime(50);
    }
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'ef', 'gh']);
    expect(c.streaming).toEqual({ turn: 0, text: 'abcdefgh', chunks: 6 });
  });
});
