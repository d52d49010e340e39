import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChunkCoalescer } from '../../server/services/live/chunk-coalescer.ts';

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
