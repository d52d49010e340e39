import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { ActorEvent, EpisodeWarned } from '../../shared/protocol/live.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import type { PlayQueue } from '../../server/services/live/live-types.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { request, until, type LiveApp, type TestSocket } from '../support/live-app.ts';
import { ActorClient } from '../support/live-actor.ts';
import { liveBench } from '../support/live-bench.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

const bench = liveBench();

/**
 * The real SQLite storage, with its live appends (`append`, and `appendOwned`, which a running episode stores its
 * events with) made to fail while `failing` is set: a disk that is full or locked for a while. Everything else (and
 * every append while it is not failing) goes to the real database.
 */
function failingAppends(storage: Storage): { failing: boolean; failures: number } {
  const state = { failing: false, failures: 0 };
  const live = storage.live;
  const fail = (): void => {
    if (!state.failing) return;
    state.failures += 1;
    throw new Error('SQLITE_FULL: database or disk is full (simulated)');
  };
  const append = live.append.bind(live);
  live.append = async (episodeId, event) => {
    fail();
    return append(episodeId, event);
  };
  const appendOwned = live.appendOwned.bind(live);
  live.appendOwned = async (episodeId, events, owner) => {
    fail();
    return appendOwned(episodeId, events, owner);
  };
  return state;
}

/** The simple queue, recording which participants' units were released. */
function recordingQueue(storage: Storage, model: string): PlayQueue & { released: string[] } {
  const released: string[] = [];
  return {
    ...simplePlayQueue(storage, model),
    released,
    async releasePlay(_assignment, _studyId, participantId) {
      released.push(participantId);
    },
  };
}

/** A browser as live-play tests keep it, which also hears the warnings the server sends. */
class Actor extends ActorClient {
  readonly warnings: EpisodeWarned[] = [];
  constructor(socket: TestSocket) {
    super(socket);
    socket.on('episode:warned', (w) => this.warnings.push(w));
  }
  has(type: ActorEvent['type']): boolean {
    return [...this.events.values()].some((e) => e.type === type);
  }
  storageStates(): string[] {
    return this.warnings.flatMap((w) => (w.kind === 'storage' ? [w.state] : []));
  }
  /** A request whose ack may take a while (a reply waiting for storage), with the raw ack. */
  send(event: string, payload: unknown, ms = 15_000): Promise<Ack<unknown>> {
    const raw = this.socket as unknown as {
      timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<Ack<unknown>> };
    };
    return raw.timeout(ms).emitWithAck(event, payload);
  }
}

async function liveApp(
  windowMs: number,
  queue = recordingQueue,
): Promise<LiveApp & { queue: ReturnType<typeof recordingQueue> }> {
  const made: { queue?: ReturnType<typeof recordingQueue> } = {};
  const app = await bench.start({
    queue: (storage, model) => (made.queue = queue(storage, model)),
    storageRetryWindowMs: windowMs,
  });
  if (!made.queue) throw new Error('no queue');
  return { ...app, queue: made.queue };
}

async function actor(app: LiveApp, pid?: string): Promise<Actor> {
  return new Actor((await bench.join(app, pid === undefined ? {} : { pid })).socket);
}

/** Answers every question until the final answer, starting after `answered` replies. */
async function playToTheEnd(a: Actor, episodeId: string, answered: number): Promise<number> {
  for (;;) {
    await until(() => a.questions().length > answered || a.has('episode_completed'), 10_000, 'a model turn');
    if (a.questions().length <= answered) return answered;
    await request(a.socket, 'episode:reply', {
      episodeId,
      clientMessageId: `m-${answered}`,
      text: `Answer ${answered}`,
    });
    answered += 1;
  }
}

describe('live episodes and a failing storage', () => {
  it('storage failing for less than the window: the conversation pauses (actor told), then continues and completes with nothing lost', async () => {
    const app = await liveApp(20_000);
    const broken = failingAppends(app.storage);
    const a = await actor(app);
    const snapshot = await request(a.socket, 'play:start', {});
    await until(() => a.questions().length === 1, 5000, 'the first question');

    broken.failing = true;
    const reply = a.send('episode:reply', { episodeId: snapshot.episodeId, clientMessageId: 'm-0', text: 'Bees.' });
    await until(() => a.storageStates().includes('delayed'), 5000, 'the saving-delayed notice');
    // Paused: nothing about the episode is answered from a state storage does not have.
    expect(await a.send('play:start', {})).toMatchObject({ ok: false, error: 'unavailable' });
    expect(await a.send('episode:resync', { episodeId: snapshot.episodeId, afterSeq: -1 })).toMatchObject({
      ok: false,
      error: 'unavailable',
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(broken.failures).toBeGreaterThanOrEqual(2);
    broken.failing = false;

    const ack = await reply;
    expect(ack).toMatchObject({ ok: true, data: { duplicate: false } });
    await until(() => a.storageStates().includes('resumed'), 5000, 'the notice clearing');
    expect(a.storageStates()).toEqual(['delayed', 'resumed']);
    const answered = await playToTheEnd(a, snapshot.episodeId, 1);
    expect(answered).toBeGreaterThan(1);
    await until(() => a.has('episode_completed'), 10_000, 'episode_completed');

    const log = await app.storage.live.eventsAfter(snapshot.episodeId, -1);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    const replies = log.filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies.map((r) => (r.type === 'message' ? r.clientMessageId : ''))).toEqual(
      Array.from({ length: answered }, (_, i) => `m-${i}`),
    );
    expect((await app.storage.live.get(snapshot.episodeId))?.summary.status).toBe('completed');
  });

  it('storage failing past the window: the episode fails with storage_failed once storage allows, the lease is released, the actor is told, play:start gives a new unit', async () => {
    const app = await liveApp(1000);
    const broken = failingAppends(app.storage);
    const a = await actor(app, 'pid-storage-fails');
    const snapshot = await request(a.socket, 'play:start', {});
    await until(() => a.questions().length === 1, 5000, 'the first question');

    broken.failing = true;
    const reply = a.send('episode:reply', { episodeId: snapshot.episodeId, clientMessageId: 'm-0', text: 'Bees.' });
    await until(() => a.storageStates().includes('failed'), 5000, 'the saving-failed notice');
    expect(await reply).toMatchObject({ ok: false, error: 'episode_closed' });
    // The failure is not stored yet: the dead episode is neither returned nor played.
    expect((await app.storage.live.get(snapshot.episodeId))?.summary.status).toBe('running');
    expect(await a.send('play:start', {})).toMatchObject({ ok: false, error: 'unavailable' });
    expect(
      await a.send('episode:reply', { episodeId: snapshot.episodeId, clientMessageId: 'm-1', text: 'Again.' }),
    ).toMatchObject({ ok: false, error: 'unavailable' });
    expect(app.queue.released).toEqual([]);

    broken.failing = false;
    await until(() => a.has('episode_failed'), 10_000, 'the stored episode_failed event');
    expect([...a.events.values()].find((e) => e.type === 'episode_failed')).toMatchObject({ code: 'storage_failed' });
    await until(() => app.queue.released.length === 1, 5000, 'the lease released');

    const info = await app.storage.live.get(snapshot.episodeId);
    expect(info?.summary).toMatchObject({
      status: 'failed',
      failure: { stage: 'internal', reason: expect.stringContaining('could not be saved') },
    });
    const log = await app.storage.live.eventsAfter(snapshot.episodeId, -1);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    expect(log.at(-1)).toMatchObject({ type: 'episode_failed', stage: 'internal', code: 'storage_failed' });
    // The reply that was never stored is not in the log.
    expect(log.some((e) => e.type === 'message' && e.kind === 'reply')).toBe(false);

    const next = await a.send('play:start', {});
    if (next.ok) expect((next.data as { episodeId: string }).episodeId).not.toBe(snapshot.episodeId);
    else expect(next.error).toBe('no_work');
  });
});

describe('the simulated twin', () => {
  it('is not started for a unit nobody plays; the first reply starts exactly one', async () => {
    const app = await liveApp(120_000);
    const a = await actor(app);
    const snapshot = await request(a.socket, 'play:start', {});
    await until(() => a.questions().length === 1, 5000, 'the first question');
    // Long enough for a twin of the scripted model to be stored had it started.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await app.storage.live.twinsOf(snapshot.episodeId)).toEqual([]);

    await request(a.socket, 'episode:reply', { episodeId: snapshot.episodeId, clientMessageId: 'm-0', text: 'Bees.' });
    await playToTheEnd(a, snapshot.episodeId, 1);
    await until(() => a.has('episode_completed'), 10_000, 'episode_completed');
    let twins: string[] = [];
    for (let i = 0; i < 200 && twins.length === 0; i++) {
      twins = await app.storage.live.twinsOf(snapshot.episodeId);
      if (twins.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.storage.live.twinsOf(snapshot.episodeId)).toHaveLength(1);
  });
});

describe('start-up with a live episode whose model is no longer declared', () => {
  it('ends that episode as failed with the reason, releases its lease, resumes the others, and the server starts', async () => {
    const file = bench.file('undeclared');
    const gone = new ScriptedProvider({ ...SCRIPTED_MODEL, name: 'gone-model' });
    // The first unit is played with a model that the next start no longer declares; the second with scripted.
    const twoModels = (storage: Storage): PlayQueue & { released: string[] } => {
      const queue = recordingQueue(storage, 'scripted');
      let handed = 0;
      return {
        ...queue,
        async nextPlay(studyId, participantId) {
          const unit = await queue.nextPlay(studyId, participantId);
          return unit ? { ...unit, model: handed++ === 0 ? 'gone-model' : 'scripted' } : null;
        },
      };
    };
    const first = await bench.start({ queue: (s) => twoModels(s), model: gone }, file);
    const p1 = await bench.join(first, { pid: 'pid-gone' });
    const p2 = await bench.join(first, { pid: 'pid-stays' });
    const e1 = await request(p1.socket, 'play:start', {});
    const e2 = await request(p2.socket, 'play:start', {});
    p1.socket.close();
    p2.socket.close();
    await first.close();

    const made: { queue?: ReturnType<typeof recordingQueue> } = {};
    const second = await bench.start({ queue: (s) => (made.queue = twoModels(s)) }, file);
    const gone1 = await second.storage.live.get(e1.episodeId);
    expect(gone1?.summary).toMatchObject({
      status: 'failed',
      failure: { stage: 'internal', reason: 'model gone-model is no longer declared' },
    });
    expect((await second.storage.live.eventsAfter(e1.episodeId, -1)).at(-1)).toMatchObject({
      type: 'episode_failed',
      code: 'model_undeclared',
    });
    expect(made.queue?.released).toEqual([gone1?.participantId]);

    // The other episode resumed: its actor carries on.
    expect((await second.storage.live.get(e2.episodeId))?.summary.status).toBe('running');
    const b = new Actor(await bench.connect(second, p2.cookie));
    const resumed = await request(b.socket, 'play:start', {});
    expect(resumed.episodeId).toBe(e2.episodeId);
    for (const e of resumed.events) b.events.set(e.seq, e);
    await until(() => b.questions().length === 1, 5000, 'the resumed episode asking');
    expect(
      await request(b.socket, 'episode:reply', { episodeId: e2.episodeId, clientMessageId: 'r0', text: 'Bees.' }),
    ).toMatchObject({ duplicate: false });
  });
});
