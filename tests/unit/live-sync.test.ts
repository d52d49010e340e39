import { describe, expect, it } from 'vitest';
import type { ActorEvent, PlaySnapshot, ResyncResult } from '../../shared/protocol/live.ts';
import { LiveSync } from '../../client/src/realtime/live-sync.ts';
import {
  ackMessage,
  type AckOf,
  type PayloadOf,
  type RequestName,
  type RequestPort,
} from '../../client/src/realtime/socket.ts';
import { ratedMessage } from '../../client/src/store/play-outcome.ts';
import { createSessionMemory, type KeyValueStore } from '../../client/src/store/session-memory.ts';

/**
 * The actor's live sync (docs/live-play.md, "The client") driven by a fake socket: the test decides which request is
 * answered, with what, and when the connection drops. A dropped connection fails the requests still waiting, as
 * Socket.IO does with acks that have a timeout.
 */

interface Sent {
  event: RequestName;
  payload: unknown;
  ack: (err: Error | null, result: unknown) => void;
}

class FakeSocket implements RequestPort {
  connected = true;
  /** Every request emitted, in order. */
  readonly sent: Sent[] = [];
  private waiting: Sent[] = [];

  emit<E extends RequestName>(event: E, payload: PayloadOf<E>, ack: (err: Error | null, result: AckOf<E>) => void) {
    const sent: Sent = { event, payload, ack: ack as Sent['ack'] };
    this.sent.push(sent);
    this.waiting.push(sent);
  }

  payloads<E extends RequestName>(event: E): PayloadOf<E>[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload as PayloadOf<E>);
  }

  waitingFor(event: RequestName): number {
    return this.waiting.filter((s) => s.event === event).length;
  }

  /** Answers the oldest unanswered request of `event`. */
  answer<E extends RequestName>(event: E, result: AckOf<E>): void {
    const i = this.waiting.findIndex((s) => s.event === event);
    const [sent] = i < 0 ? [] : this.waiting.splice(i, 1);
    if (!sent) throw new Error(`no ${event} is waiting for an answer`);
    sent.ack(null, result);
  }

  drop(): void {
    this.connected = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const sent of waiting) sent.ack(new Error('socket has been disconnected'), undefined);
  }

  reconnect(sync: LiveSync): void {
    this.connected = true;
    sync.onConnected(true);
  }
}

/** sessionStorage's stand-in: what a reload keeps. */
class MapStorage implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem = (key: string): string | null => this.items.get(key) ?? null;
  setItem = (key: string, value: string): void => void this.items.set(key, value);
  removeItem = (key: string): void => void this.items.delete(key);
}

/** Lets acks resolve and the `then`s after them run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const opening: ActorEvent = { seq: 1, prevSeq: -1, type: 'message', role: 'user', kind: 'opening', turn: 0, text: 'T' };
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
const reply = (seq: number, prevSeq: number, turn: number, clientMessageId: string): ActorEvent => ({
  seq,
  prevSeq,
  type: 'message',
  role: 'user',
  kind: 'reply',
  turn,
  text: `A${turn}`,
  clientMessageId,
});

const snapshot = (events: ActorEvent[], status: PlaySnapshot['status'] = 'running'): PlaySnapshot => ({
  episodeId: 'ep1',
  status,
  persona: { id: 'lovelace_0000aaaa', name: 'Ada Lovelace' },
  preferences: {},
  rubric: [],
  maxTurns: 5,
  idleTimeoutSeconds: 300,
  instructions: '',
  events,
  streaming: null,
  awaitingTurn: null,
  completionCode: null,
});
const resynced = (events: ActorEvent[], over: Partial<ResyncResult> = {}): AckOf<'episode:resync'> => ({
  ok: true,
  data: { events, streaming: null, status: 'running', awaitingTurn: null, completionCode: null, ...over },
});

function harness(storage = new MapStorage()) {
  const socket = new FakeSocket();
  const memory = createSessionMemory(() => storage);
  const finished: { message: string; completionCode: string | null }[] = [];
  const outcome = { noWork: 0, changes: 0 };
  let ids = 0;
  const sync = new LiveSync({
    socket,
    memory,
    participantId: () => 'p1',
    onChange: () => void (outcome.changes += 1),
    onFinished: (message, completionCode) => void finished.push({ message, completionCode }),
    onNoWork: () => void (outcome.noWork += 1),
    now: () => 1_000,
    newClientMessageId: () => `cm-${++ids}`,
  });
  /** Starts the episode with `events` as play:start's snapshot. */
  const start = async (events: ActorEvent[] = [opening, question(2, 1, 0)]) => {
    const started = sync.start();
    await settle();
    socket.answer('play:start', { ok: true, data: snapshot(events) });
    await started;
  };
  const seqs = () => sync.state.playLog.events.map((e) => e.seq);
  return { sync, socket, memory, storage, finished, outcome, start, seqs };
}

/** Types a reply and presses Send. */
function send(sync: LiveSync, text = 'Hi there'): boolean {
  sync.setDraft(text);
  return sync.sendReply();
}

describe('the outbox', () => {
  it('keeps a reply until its ack, then forgets it here and in the tab memory', async () => {
    const h = harness();
    await h.start();
    expect(send(h.sync)).toBe(true);
    expect(h.sync.state.outbox).toEqual([{ clientMessageId: 'cm-1', episodeId: 'ep1', turn: 0, text: 'Hi there' }]);
    expect(h.sync.state.draft).toBe('');
    expect(h.memory.outbox('ep1')).toHaveLength(1);
    expect(h.socket.payloads('episode:reply')).toEqual([
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
    ]);
    // A second reply to the same question is not sent while the first is on its way.
    expect(send(h.sync, 'again')).toBe(false);

    h.socket.answer('episode:reply', { ok: true, data: { seq: 3, duplicate: false } });
    await settle();
    expect(h.sync.state.outbox).toEqual([]);
    expect(h.storage.items.has('pd.outbox.ep1')).toBe(false);
  });

  it('sends an unacknowledged reply again after reconnecting, with the same id, and never twice at once', async () => {
    const h = harness();
    await h.start();
    send(h.sync);
    // A resync meanwhile (a gap) flushes the outbox, but the reply still on its way is not emitted again.
    h.sync.onAppended('ep1', { seq: 5, prevSeq: 4, type: 'episode_completed' });
    h.socket.answer('episode:resync', resynced([]));
    await settle();
    expect(h.socket.payloads('episode:reply')).toHaveLength(1);

    h.socket.drop();
    await settle();
    expect(h.sync.state.outbox.map((r) => r.clientMessageId)).toEqual(['cm-1']);
    expect(h.sync.state.replyError).toBeNull();

    h.socket.reconnect(h.sync);
    // Catch up first, then resend.
    expect(h.socket.payloads('episode:resync').at(-1)).toEqual({ episodeId: 'ep1', afterSeq: 2 });
    expect(h.socket.payloads('episode:reply')).toHaveLength(1);
    h.socket.answer('episode:resync', resynced([]));
    await settle();
    expect(h.socket.payloads('episode:reply')).toEqual([
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
    ]);
    h.socket.answer('episode:reply', { ok: true, data: { seq: 3, duplicate: true } });
    await settle();
    expect(h.sync.state.outbox).toEqual([]);
  });

  it('does not resend a reply the resync shows stored (its ack was lost)', async () => {
    const h = harness();
    await h.start();
    send(h.sync);
    h.socket.drop();
    await settle();
    h.socket.reconnect(h.sync);
    h.socket.answer('episode:resync', resynced([reply(3, 2, 0, 'cm-1')]));
    await settle();
    expect(h.sync.state.outbox).toEqual([]);
    expect(h.memory.outbox('ep1')).toEqual([]);
    expect(h.socket.payloads('episode:reply')).toHaveLength(1);
    expect(h.seqs()).toEqual([1, 2, 3]);
  });

  it('keeps a reply written offline and sends it once the connection is back', async () => {
    const h = harness();
    await h.start();
    h.socket.drop();
    expect(send(h.sync)).toBe(true);
    expect(h.socket.payloads('episode:reply')).toEqual([]);
    h.socket.reconnect(h.sync);
    h.socket.answer('episode:resync', resynced([]));
    await settle();
    expect(h.socket.payloads('episode:reply').map((p) => p.clientMessageId)).toEqual(['cm-1']);
  });

  it.each(['not_your_turn', 'episode_closed', 'payload_too_large'] as const)(
    'a reply refused with %s leaves the outbox, its words go back to the box and the error is shown',
    async (error) => {
      const h = harness();
      await h.start();
      send(h.sync);
      h.socket.answer('episode:reply', { ok: false, error });
      await settle();
      expect(h.sync.state.outbox).toEqual([]);
      expect(h.memory.outbox('ep1')).toEqual([]);
      expect(h.sync.state.draft).toBe('Hi there');
      expect(h.memory.draft('ep1')).toBe('Hi there');
      expect(h.sync.state.replyError).toBe(ackMessage({ ok: false, error }));
    },
  );

  it('a refused reply does not overwrite what the actor typed since', async () => {
    const h = harness();
    await h.start();
    send(h.sync);
    h.sync.setDraft('new words');
    h.socket.answer('episode:reply', { ok: false, error: 'episode_closed' });
    await settle();
    expect(h.sync.state.draft).toBe('new words');
    expect(h.sync.state.replyError).not.toBeNull();
  });
});

describe('a reload', () => {
  it('resumes the episode and sends the reply that was never acknowledged, with its id, and the draft', async () => {
    const storage = new MapStorage();
    const before = harness(storage);
    await before.start();
    send(before.sync);
    before.sync.setDraft('half a thought');

    const after = harness(storage);
    const resumed = after.sync.start();
    expect(after.socket.payloads('episode:resync')).toEqual([{ episodeId: 'ep1', afterSeq: -1 }]);
    after.socket.answer('episode:resync', resynced([opening, question(2, 1, 0)]));
    await settle();
    after.socket.answer('play:start', { ok: true, data: snapshot([opening, question(2, 1, 0)]) });
    await resumed;
    expect(after.sync.state.episode?.episodeId).toBe('ep1');
    expect(after.sync.state.draft).toBe('half a thought');
    expect(after.sync.state.outbox.map((r) => r.clientMessageId)).toEqual(['cm-1']);
    expect(after.socket.payloads('episode:reply')).toEqual([
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
    ]);
  });

  it('drops a kept reply the snapshot shows stored, without sending it', async () => {
    const storage = new MapStorage();
    const before = harness(storage);
    await before.start();
    send(before.sync);

    const after = harness(storage);
    const resumed = after.sync.start();
    after.socket.answer('episode:resync', resynced([]));
    await settle();
    after.socket.answer('play:start', {
      ok: true,
      data: snapshot([opening, question(2, 1, 0), reply(3, 2, 0, 'cm-1')]),
    });
    await resumed;
    expect(after.sync.state.outbox).toEqual([]);
    expect(storage.items.has('pd.outbox.ep1')).toBe(false);
    expect(after.socket.payloads('episode:reply')).toEqual([]);
  });

  it('shows an episode that ended meanwhile from the tab memory instead of starting another', async () => {
    const storage = new MapStorage();
    await harness(storage).start();
    const after = harness(storage);
    const resumed = after.sync.start();
    after.socket.answer(
      'episode:resync',
      resynced([opening, question(2, 1, 0), { seq: 3, prevSeq: 2, type: 'actor_rated' }], {
        status: 'completed',
        completionCode: 'CODE-7',
      }),
    );
    await resumed;
    expect(after.socket.payloads('play:start')).toEqual([]);
    expect(after.finished).toEqual([{ message: ratedMessage(), completionCode: 'CODE-7' }]);
    expect(after.sync.state.playPhase).toBe('done');
    expect(storage.items.has('pd.episode.p1')).toBe(false);
  });
});

describe('events by seq, exactly once', () => {
  it('closes a gap with one resync and applies the missed and the held events once, in order', async () => {
    const h = harness();
    await h.start();
    h.sync.onAppended('ep1', reply(3, 2, 0, 'x'));
    h.sync.onAppended('ep1', reply(6, 5, 1, 'y'));
    expect(h.seqs()).toEqual([1, 2, 3]);
    expect(h.socket.payloads('episode:resync')).toEqual([{ episodeId: 'ep1', afterSeq: 3 }]);
    // While the resync is out, broadcasts wait: a repeat of 6 and the next one.
    h.sync.onAppended('ep1', reply(6, 5, 1, 'y'));
    h.sync.onAppended('ep1', question(7, 6, 2));
    expect(h.seqs()).toEqual([1, 2, 3]);
    h.socket.answer(
      'episode:resync',
      resynced([
        { seq: 4, prevSeq: 3, type: 'question_tagged', turn: 0, tag: 'relevant' },
        question(5, 4, 1),
        reply(6, 5, 1, 'y'),
      ]),
    );
    await settle();
    expect(h.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(h.socket.payloads('episode:resync')).toHaveLength(1);
    expect(h.sync.state.playPhase).toBe('playing');
  });

  it('ignores an event or a chunk that arrives twice, and events of another episode', async () => {
    const h = harness();
    await h.start([opening, question(2, 1, 0), reply(3, 2, 0, 'x')]);
    const log = h.sync.state.playLog;
    h.sync.onAppended('ep1', question(2, 1, 0));
    h.sync.onAppended('other', question(4, 3, 1));
    expect(h.sync.state.playLog).toBe(log);
    h.sync.onChunked({ episodeId: 'ep1', turn: 1, index: 0, delta: 'Wh' });
    h.sync.onChunked({ episodeId: 'ep1', turn: 1, index: 0, delta: 'Wh' });
    h.sync.onChunked({ episodeId: 'ep1', turn: 1, index: 1, delta: 'y?' });
    expect(h.sync.state.playLog.streaming).toEqual({ turn: 1, text: 'Why?', nextIndex: 2 });
    expect(h.socket.payloads('episode:resync')).toEqual([]);
  });

  it('resyncs on a missing chunk and continues from the server buffer', async () => {
    const h = harness();
    await h.start([opening, question(2, 1, 0), reply(3, 2, 0, 'x')]);
    h.sync.onChunked({ episodeId: 'ep1', turn: 1, index: 2, delta: '!' });
    expect(h.socket.payloads('episode:resync')).toEqual([{ episodeId: 'ep1', afterSeq: 3 }]);
    h.socket.answer('episode:resync', resynced([], { streaming: { turn: 1, text: 'Why', chunks: 2 } }));
    await settle();
    h.sync.onChunked({ episodeId: 'ep1', turn: 1, index: 2, delta: '?' });
    expect(h.sync.state.playLog.streaming).toEqual({ turn: 1, text: 'Why?', nextIndex: 3 });
  });
});

describe('holds', () => {
  it('applies broadcasts that overtake the play:start answer after it, not before and not lost', async () => {
    const h = harness();
    const started = h.sync.start();
    h.sync.onAppended('ep1', question(2, 1, 0));
    h.sync.onAppended('ep1', { seq: 3, prevSeq: 2, type: 'question_tagged', turn: 0, tag: 'premature' });
    h.sync.onChunked({ episodeId: 'ep1', turn: 1, index: 0, delta: 'Wh' });
    expect(h.sync.state.episode).toBeNull();
    h.socket.answer('play:start', { ok: true, data: snapshot([opening, question(2, 1, 0)]) });
    await started;
    expect(h.seqs()).toEqual([1, 2, 3]);
    expect(h.sync.state.playLog.streaming).toEqual({ turn: 1, text: 'Wh', nextIndex: 1 });
    expect(h.socket.payloads('episode:resync')).toEqual([]);
  });

  it('one start at a time; an offline start fails and is tried again on reconnect', async () => {
    const h = harness();
    h.socket.connected = false;
    await Promise.all([h.sync.start(), h.sync.start()]);
    expect(h.sync.state.playPhase).toBe('error');
    expect(h.sync.state.playError).toBe(ackMessage({ ok: false, error: 'offline' }));
    h.socket.reconnect(h.sync);
    expect(h.socket.payloads('play:start')).toHaveLength(1);
    h.socket.answer('play:start', { ok: false, error: 'no_work' });
    await settle();
    expect(h.outcome.noWork).toBe(1);
    expect(h.sync.state.playPhase).toBe('done');
  });
});

describe('the end of the episode', () => {
  it('a rating this tab sends is settled by its own ack, not by the broadcast', async () => {
    const h = harness();
    const answer: ActorEvent = { ...opening, seq: 2, prevSeq: 1, role: 'assistant', kind: 'final_answer', final: true };
    await h.start([opening, answer]);
    expect(h.sync.state.playPhase).toBe('answered');
    const rating = h.sync.submitSelfRating({ scores: { clarity: 4 }, correct: 1, secondsSpent: 12 });
    h.sync.onAppended('ep1', { seq: 3, prevSeq: 2, type: 'actor_rated' });
    expect(h.socket.payloads('episode:resync')).toEqual([]);
    h.socket.answer('episode:rate', { ok: true, data: { seq: 3, completionCode: 'CODE-1' } });
    await rating;
    expect(h.finished).toEqual([{ message: ratedMessage(), completionCode: 'CODE-1' }]);
    expect(h.sync.state.playPhase).toBe('done');
  });

  it('a failure broadcast asks the server how it ended; the idle warning goes with the next reply', async () => {
    const h = harness();
    await h.start();
    h.sync.onWarned('ep1', 30);
    expect(h.sync.state.idleWarning).toEqual({ secondsLeft: 30, receivedAt: 1_000 });
    h.sync.onAppended('ep1', reply(3, 2, 0, 'x'));
    expect(h.sync.state.idleWarning).toBeNull();
    h.sync.onAppended('ep1', { seq: 4, prevSeq: 3, type: 'episode_failed', code: 'idle_timeout' });
    h.socket.answer('episode:resync', resynced([], { status: 'failed' }));
    await settle();
    expect(h.finished).toHaveLength(1);
    expect(h.finished[0]?.message).toMatch(/no reply came in time/);
  });
});

describe('another node runs the episode', () => {
  it('a reply refused as episode_elsewhere stays in the outbox without an error and goes again after reconnecting', async () => {
    const h = harness();
    await h.start();
    send(h.sync);
    h.socket.answer('episode:reply', { ok: false, error: 'episode_elsewhere' });
    await settle();
    expect(h.sync.state.outbox.map((r) => r.clientMessageId)).toEqual(['cm-1']);
    expect(h.sync.state.replyError).toBeNull();
    expect(h.sync.state.draft).toBe('');

    // The tab reconnects (socket.ts); on the node that now runs the episode it catches up, then resends.
    h.socket.reconnect(h.sync);
    expect(h.socket.payloads('episode:resync').at(-1)).toEqual({ episodeId: 'ep1', afterSeq: 2 });
    h.socket.answer('episode:resync', resynced([]));
    await settle();
    expect(h.socket.payloads('episode:reply')).toEqual([
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
    ]);
  });
});

describe('saving delayed on the server', () => {
  it('shows the notice, keeps a reply refused as unavailable, and when saving works again clears it, resyncs and resends', async () => {
    const h = harness();
    await h.start();
    h.sync.onStorage('ep1', 'delayed');
    expect(h.sync.state.storageNotice).toBe('delayed');
    send(h.sync);
    h.socket.answer('episode:reply', { ok: false, error: 'unavailable' });
    await settle();
    expect(h.sync.state.outbox.map((r) => r.clientMessageId)).toEqual(['cm-1']);
    expect(h.sync.state.replyError).toBeNull();

    h.sync.onStorage('ep1', 'resumed');
    expect(h.sync.state.storageNotice).toBeNull();
    expect(h.socket.payloads('episode:resync').at(-1)).toEqual({ episodeId: 'ep1', afterSeq: 2 });
    h.socket.answer('episode:resync', resynced([]));
    await settle();
    expect(h.socket.payloads('episode:reply')).toEqual([
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
      { episodeId: 'ep1', clientMessageId: 'cm-1', text: 'Hi there' },
    ]);
  });

  it('a notice for another episode is ignored; saving that failed ends the session with its own message once stored', async () => {
    const h = harness();
    await h.start();
    h.sync.onStorage('other', 'delayed');
    expect(h.sync.state.storageNotice).toBeNull();
    h.sync.onStorage('ep1', 'failed');
    expect(h.sync.state.storageNotice).toBe('failed');
    expect(h.finished).toEqual([]);
    const failed: ActorEvent = { seq: 3, prevSeq: 2, type: 'episode_failed', code: 'storage_failed' };
    h.sync.onAppended('ep1', failed);
    h.socket.answer('episode:resync', resynced([], { status: 'failed' }));
    await settle();
    expect(h.finished).toHaveLength(1);
    expect(h.finished[0]?.message).toContain('could not save the conversation');
    expect(h.sync.state.storageNotice).toBeNull();
  });
});
