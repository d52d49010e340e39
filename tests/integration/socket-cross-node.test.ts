import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import pg from 'pg';
import { ADAPTER_APPLICATION_NAME } from '../../server/plugins/postgres-socket-adapter.ts';
import { roomInterestStats, type RoomInterestStats } from '../../server/plugins/room-interest.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { ActorClient } from '../support/live-actor.ts';
import { useTwoAppNodes, type AppNode } from '../support/in-process-nodes.ts';
import { joinAs, request, until, type TestSocket } from '../support/live-app.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Two app nodes on one PostgreSQL database, in one test process, each with its own storage pool and its own Socket.IO
 * server: the PostgreSQL adapter carries broadcasts between them, so a socket connected to one node gets what the
 * other emits to its room, and a researcher watching on node B sees the events of an episode played on node A.
 */
const dir = tempDir('prefdisco-cross-node-');

describe.skipIf(!postgresInstalled)(needsPostgres('Socket.IO across two app nodes on one PostgreSQL database'), () => {
  const postgres = usePostgres();
  const two = useTwoAppNodes(postgres, { dir });
  const { nodes, socketOn } = two;

  it('delivers a broadcast emitted on one node to a socket in the room on the other, and to nobody outside it', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const inRoom = await socketOn(b, null);
    const outside = await socketOn(b, null);
    const onA = await socketOn(a, null);
    b.app.io.local.in(inRoom.id ?? '').socketsJoin('cross-node-room');
    const got: string[] = [];
    inRoom.on('episode:warned', (w) => got.push(`in-room ${w.episodeId}`));
    outside.on('episode:warned', (w) => got.push(`outside ${w.episodeId}`));
    onA.on('episode:warned', (w) => got.push(`on-a ${w.episodeId}`));

    a.app.io.to('cross-node-room').emit('episode:warned', { episodeId: 'from-a', kind: 'idle', secondsLeft: 30 });
    await until(() => got.length > 0, 10_000, 'the broadcast on node B');
    // A second broadcast that is delivered proves the first had every chance to reach the wrong sockets too.
    b.app.io.to('cross-node-room').emit('episode:warned', { episodeId: 'from-b', kind: 'idle', secondsLeft: 30 });
    await until(() => got.length > 1, 10_000, 'the second broadcast');
    expect(got).toEqual(['in-room from-a', 'in-room from-b']);
  });

  it('survives losing its PostgreSQL connections and carries broadcasts both ways again once the adapter reconnected', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const onA = await socketOn(a, null);
    const onB = await socketOn(b, null);
    a.app.io.local.in(onA.id ?? '').socketsJoin('cut-room-a');
    b.app.io.local.in(onB.id ?? '').socketsJoin('cut-room-b');
    const admin = new pg.Client({ connectionString: two.databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [ADAPTER_APPLICATION_NAME],
      );
      // Each node's listening connection at least.
      expect(killed.rowCount).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
    // Broadcasts sent while a listener is away are lost to that node (clients resync on the gap): keep sending until
    // one arrives. Both directions, since a node whose dead connection still counted in its pool could listen again
    // but never send.
    const heard = async (from: AppNode, socket: TestSocket, room: string): Promise<void> => {
      let arrived = false;
      socket.once('episode:warned', () => (arrived = true));
      for (let i = 0; !arrived; i++) {
        if (i > 300) throw new Error(`no broadcast to ${room} arrived after the connections were cut`);
        from.app.io.to(room).emit('episode:warned', { episodeId: 'cut', kind: 'idle', secondsLeft: i });
        await sleep(50);
      }
    };
    await heard(a, onB, 'cut-room-b');
    await heard(b, onA, 'cut-room-a');
  });

  it('shares an episode room joined while the listener of the other node was away, once it is back', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    await readyStats(a);
    await readyStats(b);
    const onB = await socketOn(b, null);
    const admin = new pg.Client({ connectionString: two.databaseUrl });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        ADAPTER_APPLICATION_NAME,
      ]);
    } finally {
      await admin.end();
    }
    // Node A's listener is reconnecting: it misses this join (node B goes on after waiting for A's note).
    await b.app.io.of('/').adapter.addAll(onB.id ?? '', new Set(['episode:away:watch']));
    let arrived = false;
    onB.once('episode:warned', () => (arrived = true));
    for (let i = 0; !arrived; i++) {
      if (i > 300) throw new Error('node A never shared the room joined while its listener was away');
      a.app.io.to('episode:away:watch').emit('episode:warned', { episodeId: 'away', kind: 'idle', secondsLeft: i });
      await sleep(50);
    }
  });

  it('closes the sockets of a login session on every node when it signs out on one', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const researcher = await signInResearcher({ app: b.app, storage: b.storage });
    const onB = await socketOn(b, researcher.cookie);
    const closed = new Promise<string>((resolve) => onB.once('disconnect', (reason) => resolve(reason)));
    const out = await a.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: researcher.cookie } });
    expect(out.statusCode).toBe(200);
    expect(await closed).toBe('io server disconnect');
  });

  it('keeps a burst of broadcasts in emit order on both nodes (they are sent to PostgreSQL in batches)', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const here = await socketOn(a, null);
    const there = await socketOn(b, null);
    a.app.io.local.in(here.id ?? '').socketsJoin('burst-room');
    b.app.io.local.in(there.id ?? '').socketsJoin('burst-room');
    const got = { here: [] as number[], there: [] as number[] };
    here.on('episode:warned', (w) => got.here.push(w.kind === 'idle' ? w.secondsLeft : -1));
    there.on('episode:warned', (w) => got.there.push(w.kind === 'idle' ? w.secondsLeft : -1));
    const sent = Array.from({ length: 300 }, (_, i) => i);
    for (const i of sent)
      a.app.io.to('burst-room').emit('episode:warned', { episodeId: 'burst', kind: 'idle', secondsLeft: i });
    await until(() => got.here.length === sent.length && got.there.length === sent.length, 20_000, 'the burst');
    expect(got.here).toEqual(sent);
    expect(got.there).toEqual(sent);
  });

  it('shows a researcher watching on node B the events of an episode played on node A, in order', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const actor = new ActorClient(await socketOn(a, await joinAs(a.app, a.storage, two.studyId, 'actor')));
    const snapshot = await request(actor.socket, 'play:start', {});
    for (const e of snapshot.events) actor.events.set(e.seq, e);

    const researcher = await signInResearcher({ app: b.app, storage: b.storage });
    await b.storage.access.addMember({
      studyId: two.studyId,
      researcherId: researcher.researcherId,
      role: 'collaborator',
      addedBy: null,
      now: new Date(),
    });
    const watcher = await socketOn(b, researcher.cookie);
    const logged: EpisodeEvent[] = [];
    watcher.on('episode:logged', ({ episodeId, event }) => {
      if (episodeId === snapshot.episodeId) logged.push(event);
    });
    const soFar = await request(watcher, 'episode:watch', { episodeId: snapshot.episodeId });
    // Nobody watches on node A: the broadcast is shared, since node B told node A about its watcher.
    expect(a.app.io.of('/').adapter.rooms.has(`episode:${snapshot.episodeId}:watch`)).toBe(false);

    await until(() => actor.questions().length > 0, 10_000, 'the first question');
    const ack = await request(actor.socket, 'episode:reply', {
      episodeId: snapshot.episodeId,
      clientMessageId: 'cross-node-1',
      text: 'Answered on node A',
    });
    await until(() => logged.some((e) => e.seq === ack.seq), 10_000, 'the reply on node B');
    expect(logged.find((e) => e.seq === ack.seq)).toMatchObject({
      type: 'message',
      kind: 'reply',
      content: 'Answered on node A',
    });
    // Everything after the watch's snapshot arrived, each event once and in seq order, as node A stored it.
    const lastKnown = Math.max(0, ...soFar.map((e) => e.seq));
    const seqs = logged.map((e) => e.seq).filter((s) => s > lastKnown);
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    const stored = await a.storage.live.eventsAfter(snapshot.episodeId, lastKnown);
    expect(seqs).toEqual(stored.map((e) => e.seq).slice(0, seqs.length));
  });

  /** Node's adapter counters, once it knows the other node's rooms (a heartbeat timeout after it started). */
  async function readyStats(node: AppNode): Promise<RoomInterestStats> {
    const stats = roomInterestStats(node.app.io.of('/').adapter);
    if (!stats) throw new Error('the adapter does not gate broadcasts');
    await until(() => stats.ready(), 30_000, "the node learning the other's rooms");
    return stats;
  }

  /** Every notification on the adapter's channel while `during` runs, as a raw listener sees it. */
  async function notificationsDuring(during: () => Promise<void>): Promise<string[]> {
    const listener = new pg.Client({ connectionString: two.databaseUrl });
    await listener.connect();
    const seen: string[] = [];
    listener.on('notification', (n) => seen.push(n.payload ?? ''));
    await listener.query('LISTEN "socket.io#/"');
    try {
      await during();
      // A marker through the same channel: everything sent before it has been heard.
      await listener.query(`SELECT pg_notify('socket.io#/', 'marker')`);
      await until(() => seen.includes('marker'), 10_000, 'the marker notification');
    } finally {
      await listener.end();
    }
    return seen.filter((p) => p !== 'marker');
  }

  it("keeps an episode room's broadcasts on its node while no other node has a socket in the room", async () => {
    const [a] = nodes as [AppNode, AppNode];
    const stats = await readyStats(a);
    const here = await socketOn(a, null);
    await a.app.io.of('/').adapter.addAll(here.id ?? '', new Set(['episode:kept:actor']));
    const got: number[] = [];
    here.on('episode:warned', (w) => got.push(w.kind === 'idle' ? w.secondsLeft : -1));
    const sent = Array.from({ length: 100 }, (_, i) => i);
    const kept = stats.kept;
    const heard = await notificationsDuring(async () => {
      for (const i of sent)
        a.app.io.to('episode:kept:actor').emit('episode:warned', { episodeId: 'kept', kind: 'idle', secondsLeft: i });
      await until(() => got.length === sent.length, 10_000, 'the local broadcasts');
    });
    expect(got).toEqual(sent);
    expect(stats.kept - kept).toBe(sent.length);
    expect(heard.filter((p) => p.includes('episode:kept:actor'))).toEqual([]);
  });

  it("shares an episode room's broadcasts once a socket on the other node joined it, and keeps them again after it left", async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const stats = await readyStats(a);
    await readyStats(b);
    const here = await socketOn(a, null);
    const there = await socketOn(b, null);
    await a.app.io.of('/').adapter.addAll(here.id ?? '', new Set(['episode:joined:actor']));
    const got = { here: [] as number[], there: [] as number[] };
    here.on('episode:warned', (w) => got.here.push(w.kind === 'idle' ? w.secondsLeft : -1));
    there.on('episode:warned', (w) => got.there.push(w.kind === 'idle' ? w.secondsLeft : -1));
    const emit = (i: number): void =>
      void a.app.io.to('episode:joined:actor').emit('episode:warned', { episodeId: 'j', kind: 'idle', secondsLeft: i });
    emit(0);
    // The join returns once node A has noted it: the very next broadcast reaches node B.
    await b.app.io.of('/').adapter.addAll(there.id ?? '', new Set(['episode:joined:actor']));
    emit(1);
    await until(() => got.there.length === 1, 10_000, 'the first broadcast after the join on node B');
    expect(got.there).toEqual([1]);
    b.app.io.of('/').adapter.del(there.id ?? '', 'episode:joined:actor');
    const shared = stats.shared;
    await until(
      () => {
        const before = stats.kept;
        emit(2);
        return stats.kept > before;
      },
      10_000,
      'node A keeping the broadcasts again',
    );
    expect(stats.shared - shared).toBeGreaterThanOrEqual(0);
    await until(() => got.here.length >= 3, 10_000, 'the broadcasts on node A');
    expect(got.here.slice(0, 2)).toEqual([0, 1]);
    expect(got.there).toEqual([1, ...got.there.slice(1).map(() => 2)]);
  });

  it('keeps emit order on its node when kept and shared broadcasts alternate', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    await readyStats(a);
    const here = await socketOn(a, null);
    const there = await socketOn(b, null);
    await a.app.io.of('/').adapter.addAll(here.id ?? '', new Set(['episode:mixed:actor', 'episode:mixed:watch']));
    await b.app.io.of('/').adapter.addAll(there.id ?? '', new Set(['episode:mixed:watch']));
    const got = { here: [] as number[], there: [] as number[] };
    here.on('episode:warned', (w) => got.here.push(w.kind === 'idle' ? w.secondsLeft : -1));
    there.on('episode:warned', (w) => got.there.push(w.kind === 'idle' ? w.secondsLeft : -1));
    // Runs of each kind, so some kept broadcasts wait behind shared ones still on their way and vice versa.
    const sent = Array.from({ length: 300 }, (_, i) => i);
    const shared = (i: number): boolean => Math.floor(i / 3) % 2 === 0;
    for (const i of sent) {
      const room = shared(i) ? 'episode:mixed:watch' : 'episode:mixed:actor';
      a.app.io.to(room).emit('episode:warned', { episodeId: 'mixed', kind: 'idle', secondsLeft: i });
    }
    await until(() => got.here.length === sent.length, 20_000, 'every broadcast on node A');
    await until(() => got.there.length === sent.filter(shared).length, 20_000, 'the shared ones on node B');
    expect(got.here).toEqual(sent);
    expect(got.there).toEqual(sent.filter(shared));
  });
});
