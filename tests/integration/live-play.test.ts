import { describe, expect, it } from 'vitest';
import type { PlaySnapshot } from '../../shared/protocol/live.ts';
import type { Ack } from '../../shared/protocol/acks.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { request, until, type LiveApp } from '../support/live-app.ts';
import { ActorClient } from '../support/live-actor.ts';
import { liveBench } from '../support/live-bench.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { SlowStreamProvider } from '../support/slow-stream-provider.ts';

const bench = liveBench();

async function liveApp(model?: 'slow', settings: Parameters<typeof simplePlayQueue>[2] = {}): Promise<LiveApp> {
  return bench.start({
    queue: (storage, name) => simplePlayQueue(storage, name, settings),
    ...(model === 'slow' ? { model: new SlowStreamProvider(new ScriptedProvider(SCRIPTED_MODEL)) } : {}),
  });
}

async function actor(app: LiveApp): Promise<ActorClient> {
  return new ActorClient((await bench.join(app)).socket);
}

describe('live play with a person in the user seat', () => {
  it('runs a whole episode: opening, streamed questions, stored and acknowledged replies, final answer, self-rating, twins', async () => {
    const app = await liveApp();
    const client = await actor(app);
    const snapshot: PlaySnapshot = await request(client.socket, 'play:start', {});
    expect(snapshot.events[0]).toMatchObject({ type: 'message', kind: 'opening', role: 'user' });
    expect(Object.keys(snapshot.preferences).length).toBeGreaterThanOrEqual(8);
    expect(snapshot.rubric.length).toBe(Object.keys(snapshot.preferences).length);
    for (const e of snapshot.events) client.events.set(e.seq, e);

    let answered = 0;
    while (!client.messages('final_answer').length) {
      await until(
        () => client.questions().length > answered || client.messages('final_answer').length > 0,
        5000,
        'a model turn',
      );
      if (client.questions().length <= answered) break;
      const question = client.questions()[answered];
      expect(question?.text).not.toContain('###ACTION###');
      const clientMessageId = `m-${answered}`;
      const ack = await request(client.socket, 'episode:reply', {
        episodeId: snapshot.episodeId,
        clientMessageId,
        text: `My answer ${answered}`,
      });
      // Stored before acknowledged: the row is there now.
      const stored = await app.storage.live.eventsAfter(snapshot.episodeId, ack.seq - 1);
      expect(stored[0]).toMatchObject({
        type: 'message',
        kind: 'reply',
        content: `My answer ${answered}`,
        clientMessageId,
      });
      // A resend (lost ack) is recognised: same seq, nothing stored twice.
      expect(
        await request(client.socket, 'episode:reply', {
          episodeId: snapshot.episodeId,
          clientMessageId,
          text: `My answer ${answered}`,
        }),
      ).toEqual({ seq: ack.seq, duplicate: true });
      answered += 1;
    }
    expect(answered).toBe(4);

    // Chunks arrived in order per turn and add up to the stored model messages.
    const log = await app.storage.live.eventsAfter(snapshot.episodeId, -1);
    const assistantMessages = log.filter((e) => e.type === 'message' && e.role === 'assistant');
    for (const [turn, message] of assistantMessages.entries()) {
      const pieces = client.chunks.filter((c) => c.turn === turn);
      expect(pieces.map((c) => c.index)).toEqual(pieces.map((_, i) => i));
      expect(pieces.map((c) => c.delta).join('')).toBe(message.type === 'message' ? message.content : '');
    }

    await until(
      () => [...client.events.values()].some((e) => e.type === 'episode_completed'),
      5000,
      'episode_completed',
    );
    // A reload between the final answer and the rating returns to this episode, not a new one.
    const reloaded = await request(client.socket, 'play:start', {});
    expect(reloaded).toMatchObject({ episodeId: snapshot.episodeId, status: 'completed' });
    const scores = Object.fromEntries(snapshot.rubric.map((c) => [c.preference, 4]));
    const rated = await request(client.socket, 'episode:rate', {
      episodeId: snapshot.episodeId,
      scores,
      correct: 1,
      secondsSpent: 42,
    });
    expect(rated.completionCode).toBe('CODE-DONE');

    const all = await app.storage.live.eventsAfter(snapshot.episodeId, -1);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    expect(
      all
        .filter((e) => e.type === 'twin_reply')
        .map((e) => (e.type === 'twin_reply' ? e.turn : -1))
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(all.find((e) => e.type === 'actor_rated')).toMatchObject({ correct: 1, secondsSpent: 42 });
    expect((await app.storage.live.get(snapshot.episodeId))?.summary.status).toBe('completed');
    // The person never received the twin's replies, judge scores or provenance.
    const sent = JSON.stringify([...client.events.values()]);
    for (const hidden of ['twin_reply', 'criterion_judged', 'provenance', 'scripted', 'thought'])
      expect(sent).not.toContain(hidden);
    // The fully simulated twin is stored and linked.
    let twins: string[] = [];
    for (let i = 0; i < 100 && twins.length === 0; i++) {
      twins = await app.storage.live.twinsOf(snapshot.episodeId);
      if (twins.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(twins).toHaveLength(1);
    // It runs on its own (the research worker), at its own pace: the live episode may be rated before it ends.
    await expect
      .poll(async () => (await app.storage.getEpisode(twins[0] ?? ''))?.summary.status, { timeout: 10_000 })
      .toBe('completed');
    expect((await app.storage.getEpisode(twins[0] ?? ''))?.summary).toMatchObject({
      status: 'completed',
      userSeat: 'simulated',
      mode: 'infer_persona',
    });
    // Both answers, the person-played one and its simulated twin, are now waiting for raters.
    let candidates = 0;
    for (let i = 0; i < 100 && candidates < 2; i++) {
      candidates = (await app.storage.work.progress(app.studyId, new Date())).candidates.length;
      if (candidates < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(candidates).toBe(2);
  });

  it('a browser that disconnects mid-stream resyncs with no gap and no duplicate', async () => {
    const app = await liveApp('slow');
    const first = await actor(app);
    const snapshot = await request(first.socket, 'play:start', {});
    await until(() => first.chunks.length >= 3, 5000, 'some chunks');
    first.socket.disconnect();
    const seenChunks = first.chunks.length;
    const cookie = (first.socket.io.opts.extraHeaders as Record<string, string>).cookie ?? '';

    const again = new ActorClient(await bench.connect(app, cookie));
    const sync = await request(again.socket, 'episode:resync', {
      episodeId: snapshot.episodeId,
      afterSeq: first.lastSeq(),
    });
    const buffered = sync.streaming;
    expect(buffered?.chunks ?? 0).toBeGreaterThanOrEqual(seenChunks);
    await until(() => again.messages('question').length > 0, 5000, 'the question message');
    const question = (await app.storage.live.eventsAfter(snapshot.episodeId, -1)).find(
      (e) => e.type === 'message' && e.kind === 'question',
    );
    const later = again.chunks.filter((c) => c.turn === buffered?.turn && c.index >= (buffered?.chunks ?? 0));
    expect(later.map((c) => c.index)).toEqual(later.map((_, i) => (buffered?.chunks ?? 0) + i));
    expect((buffered?.text ?? '') + later.map((c) => c.delta).join('')).toBe(
      question?.type === 'message' ? question.content : '',
    );
    expect(sync.events.every((e) => e.seq > first.lastSeq())).toBe(true);
  });

  it('a server restart mid-stream resumes the episode: the interrupted turn is regenerated, nothing acknowledged is lost or repeated', async () => {
    const file = bench.file('restart');
    const slow = () => new SlowStreamProvider(new ScriptedProvider(SCRIPTED_MODEL));
    const first = await bench.start({ queue: (s, model) => simplePlayQueue(s, model), model: slow() }, file);
    const { cookie, socket } = await bench.join(first, { pid: 'pid-restart' });
    const a = new ActorClient(socket);
    const snapshot = await request(a.socket, 'play:start', {});
    await until(() => a.messages('question').length === 1, 5000, 'first question');
    const ack = await request(a.socket, 'episode:reply', {
      episodeId: snapshot.episodeId,
      clientMessageId: 'r0',
      text: 'I keep bees.',
    });
    await until(() => a.chunks.some((c) => c.turn === 1), 5000, 'second turn streaming');
    a.socket.close();
    await first.close();

    const second = await bench.start({ queue: (s, model) => simplePlayQueue(s, model), model: slow() }, file);
    const b = new ActorClient(await bench.connect(second, cookie));
    const resumed = await request(b.socket, 'play:start', {});
    expect(resumed.episodeId).toBe(snapshot.episodeId);
    for (const e of resumed.events) b.events.set(e.seq, e);
    await until(() => b.messages('question').length === 2, 5000, 'the regenerated question');
    const log = await second.storage.live.eventsAfter(snapshot.episodeId, -1);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    const replies = log.filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ seq: ack.seq, clientMessageId: 'r0' });
    const questions = log.filter((e) => e.type === 'message' && e.kind === 'question');
    expect(questions.map((q) => (q.type === 'message' ? [q.turn, q.regenerated ?? false] : []))).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(log.filter((e) => e.type === 'episode_started')).toHaveLength(1);
    // The actor carries on where they were.
    const next = await request(b.socket, 'episode:reply', {
      episodeId: snapshot.episodeId,
      clientMessageId: 'r1',
      text: 'Pictures, please.',
    });
    expect(next.duplicate).toBe(false);
  });

  it('an idle person is warned, then the episode ends as failed (idle_timeout) and is kept', async () => {
    const app = await liveApp(undefined, { idleTimeoutSeconds: 0.5 });
    const client = await actor(app);
    const warnings: number[] = [];
    client.socket.on('episode:warned', (w) => warnings.push(w.kind === 'idle' ? w.secondsLeft : -1));
    const snapshot = await request(client.socket, 'play:start', {});
    await until(() => [...client.events.values()].some((e) => e.type === 'episode_failed'), 5000, 'the timeout');
    expect(warnings).toHaveLength(1);
    expect([...client.events.values()].find((e) => e.type === 'episode_failed')).toMatchObject({
      code: 'idle_timeout',
    });
    await until(() => false, 100, 'settling').catch(() => undefined);
    const info = await app.storage.live.get(snapshot.episodeId);
    expect(info?.summary).toMatchObject({
      status: 'failed',
      failure: { stage: 'user', reason: expect.stringContaining('no reply from the person') },
    });
    expect(
      (await app.storage.live.eventsAfter(snapshot.episodeId, -1)).some(
        (e) => e.type === 'message' && e.kind === 'question',
      ),
    ).toBe(true);
  });

  it('a client speaking another protocol version is refused at the handshake with unsupported_protocol', async () => {
    const app = await liveApp();
    const { io: connect } = await import('socket.io-client');
    const socket = connect(app.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { protocolVersion: 999 },
    });
    const error = await new Promise<Error & { data?: { error?: string } }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    socket.close();
    expect(error.data?.error).toBe('unsupported_protocol');
  });

  it('refuses what is not allowed, with codes, and stays up', async () => {
    const app = await liveApp();
    const client = await actor(app);
    const snapshot = await request(client.socket, 'play:start', {});
    const raw = client.socket as unknown as {
      timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<unknown>> };
    };
    const send = (event: string, payload: unknown) => raw.timeout(5000).emitWithAck(event, payload);
    expect(
      await send('episode:reply', { episodeId: snapshot.episodeId, clientMessageId: 'x', text: 'y'.repeat(4001) }),
    ).toMatchObject({ ok: false, error: 'payload_too_large' });
    expect(await send('episode:reply', { episodeId: 'nope', clientMessageId: 'x', text: 'hi' })).toMatchObject({
      ok: false,
      error: 'not_found',
    });
    expect(await send('episode:reply', { episodeId: snapshot.episodeId, text: 'hi' })).toMatchObject({
      ok: false,
      error: 'invalid_payload',
    });
    expect(
      await send('episode:rate', { episodeId: snapshot.episodeId, scores: {}, correct: 1, secondsSpent: 1 }),
    ).toMatchObject({ ok: false, error: 'not_your_turn' });
    expect(await send('episode:watch', { episodeId: snapshot.episodeId })).toMatchObject({
      ok: false,
      error: 'forbidden',
    });
    const stranger = await bench.connect(app, null);
    expect(await (stranger as unknown as typeof raw).timeout(5000).emitWithAck('play:start', {})).toMatchObject({
      ok: false,
      error: 'unauthenticated',
    });
    const other = await actor(app);
    expect(
      await (other.socket as unknown as typeof raw)
        .timeout(5000)
        .emitWithAck('episode:resync', { episodeId: snapshot.episodeId, afterSeq: -1 }),
    ).toMatchObject({ ok: false, error: 'not_found' });
    expect(
      (await request(client.socket, 'episode:resync', { episodeId: snapshot.episodeId, afterSeq: -1 })).status,
    ).toBe('running');
  });
});
