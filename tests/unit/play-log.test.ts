import { describe, expect, it } from 'vitest';
import type { ActorEvent } from '../../shared/protocol/live.ts';
import {
  applyChunk,
  applyEvent,
  appendEvents,
  awaitingTurnOf,
  emptyLog,
  withServerStream,
} from '../../client/src/store/play-log.ts';
import { streamView } from '../../client/src/features/participant/visible-text.ts';

/** The browser's rules for the live stream (docs/live-play.md): events by seq, chunks by index, gaps reported. */

const question = (seq: number, prevSeq: number, turn: number): ActorEvent => ({
  seq,
  prevSeq,
  type: 'message',
  role: 'assistant',
  kind: 'question',
  turn,
  text: `Q${turn}?`,
  final: false,
});
const opening: ActorEvent = {
  seq: 1,
  prevSeq: -1,
  type: 'message',
  role: 'user',
  kind: 'opening',
  turn: 0,
  text: 'Task',
};

describe('events by seq', () => {
  it('applies the next event, ignores one seen before, and reports a gap instead of applying past it', () => {
    const log = appendEvents(emptyLog(), [opening]);
    const next = applyEvent(log, question(3, 1, 0));
    expect(next).toMatchObject({ gap: false, changed: true });
    expect(next.log.lastSeq).toBe(3);
    expect(applyEvent(next.log, question(3, 1, 0))).toMatchObject({ gap: false, changed: false });
    const gap = applyEvent(next.log, { seq: 9, prevSeq: 7, type: 'episode_completed' });
    expect(gap.gap).toBe(true);
    expect(gap.log).toBe(next.log);
  });

  it('knows when a question waits for the person', () => {
    const log = appendEvents(emptyLog(), [opening, question(3, 1, 0)]);
    expect(awaitingTurnOf(log.events)).toBe(0);
    const replied = appendEvents(log, [
      { seq: 4, prevSeq: 3, type: 'message', role: 'user', kind: 'reply', turn: 0, text: 'A' },
    ]);
    expect(awaitingTurnOf(replied.events)).toBeNull();
  });
});

describe('chunks by index', () => {
  const chunk = (index: number, delta: string, turn = 0, restart?: boolean) => ({
    episodeId: 'e',
    turn,
    index,
    delta,
    ...(restart ? { restart } : {}),
  });

  it('appends in order, ignores repeats, reports a missing index, and starts over on restart', () => {
    let log = appendEvents(emptyLog(), [opening]);
    log = applyChunk(log, chunk(0, 'Hel')).log;
    log = applyChunk(log, chunk(1, 'lo')).log;
    expect(applyChunk(log, chunk(1, 'lo')).log.streaming?.text).toBe('Hello');
    expect(applyChunk(log, chunk(3, '!')).gap).toBe(true);
    log = applyChunk(log, chunk(0, '', 0, true)).log;
    expect(log.streaming).toEqual({ turn: 0, text: '', nextIndex: 1 });
    expect(applyChunk(log, chunk(1, 'Again')).log.streaming?.text).toBe('Again');
  });

  it('drops the stream once the whole message is stored, and ignores late chunks of that turn', () => {
    let log = applyChunk(appendEvents(emptyLog(), [opening]), chunk(0, 'Q')).log;
    log = appendEvents(log, [question(3, 1, 0)]);
    expect(log.streaming).toBeNull();
    expect(applyChunk(log, chunk(1, '0?')).log.streaming).toBeNull();
  });

  it("takes the server's buffer after a resync, continuing from its chunk count", () => {
    const log = withServerStream(appendEvents(emptyLog(), [opening]), { turn: 0, text: 'Before I', chunks: 4 });
    expect(applyChunk(log, chunk(4, ' explain')).log.streaming?.text).toBe('Before I explain');
  });
});

describe('what a person reads of a streaming turn', () => {
  it('hides the protocol lines, even half-arrived', () => {
    expect(streamView('###ACT')).toEqual({ text: '', final: null });
    expect(streamView("###ACTION###: 'ask_question'\n###RESP")).toEqual({ text: '', final: false });
    expect(streamView("###ACTION###: 'ask_question'\n###RESPONSE###: How do you")).toEqual({
      text: 'How do you',
      final: false,
    });
    expect(streamView("###ACTION###: 'final_answer'\n###RESPONSE###: It is 27")).toEqual({
      text: 'It is 27',
      final: true,
    });
    expect(streamView('A plain reply in C#')).toEqual({ text: 'A plain reply in C#', final: null });
  });
});
