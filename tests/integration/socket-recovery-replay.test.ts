import Fastify from 'fastify';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChunkMessage } from '../../shared/protocol/live.ts';
import { attachSocketIo, RECOVERY_WINDOW_MS } from '../../server/plugins/socket-io.ts';
import { roomAudience } from '../../server/realtime/room-audience.ts';
import { until, type TestSocket } from '../support/live-app.ts';

const open: { close(): Promise<unknown> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const ROOM = 'episode:e1:actor';
const chunk = (index: number): ChunkMessage => ({ episodeId: 'e1', turn: 0, index, delta: `piece ${index}` });

/** The app's Socket.IO server on a real port, every socket in one room, and one client that has seen a broadcast. */
async function connected() {
  const app = Fastify();
  const io = attachSocketIo(app);
  io.on('connection', (socket) => void socket.join(ROOM));
  await app.listen({ port: 0, host: '127.0.0.1' });
  open.push({ close: () => app.close() });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const client: TestSocket = connect(`http://127.0.0.1:${address.port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 20,
  });
  open.push({ close: () => void client.close() });
  const warned: number[] = [];
  const chunks: number[] = [];
  client.on('episode:warned', (w) => warned.push(w.kind === 'idle' ? w.secondsLeft : -1));
  client.on('episode:chunked', (c) => chunks.push(c.index));
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  // One stored broadcast first: the client then holds an offset, and a dropped transport is recovered.
  io.to(ROOM).emit('episode:warned', { episodeId: 'e1', kind: 'idle', secondsLeft: 1 });
  await until(() => warned.includes(1), 5000, 'the first broadcast');
  return { io, client, warned, chunks };
}

describe('connection-state recovery', () => {
  it("replays the broadcasts a dropped socket missed, except the actor's events and pieces, which still arrive live", async () => {
    const { io, client, warned, chunks } = await connected();
    const appended: number[] = [];
    client.on('episode:appended', ({ event }) => appended.push(event.seq));
    io.to(ROOM).emit('episode:chunked', chunk(0));
    await until(() => chunks.includes(0), 5000, 'a live piece');

    const serverSide = [...io.sockets.sockets.values()][0];
    const dropped = new Promise<void>((resolve) => serverSide?.once('disconnect', () => resolve()));
    const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
    client.io.engine.close();
    await dropped;
    // While it is away: a piece of the turn and an event, both to its room.
    io.to(ROOM).emit('episode:chunked', chunk(1));
    io.to(ROOM).emit('episode:appended', { episodeId: 'e1', event: { seq: 1, prevSeq: 0, type: 'episode_completed' } });
    io.to(ROOM).emit('episode:warned', { episodeId: 'e1', kind: 'idle', secondsLeft: 2 });
    await back;

    expect(client.recovered).toBe(true);
    await until(() => warned.includes(2), 5000, 'the missed event to be replayed');
    expect(warned).toEqual([1, 2]);
    // The missed piece is not replayed (the page resyncs the turn instead); pieces after the return arrive.
    io.to(ROOM).emit('episode:chunked', chunk(2));
    await until(() => chunks.includes(2), 5000, 'a piece after recovery');
    expect(chunks).toEqual([0, 2]);
    // Nor the actor's event (the page resyncs by seq after a reconnect); events after the return arrive.
    io.to(ROOM).emit('episode:appended', { episodeId: 'e1', event: { seq: 2, prevSeq: 1, type: 'episode_completed' } });
    await until(() => appended.includes(2), 5000, 'an event after recovery');
    expect(appended).toEqual([2]);
  });
});

describe('roomAudience', () => {
  it('is true while a socket is in the room and for the recovery window after the last one left', async () => {
    let clock = 1_000_000;
    const { io, client } = await connected();
    const heard = roomAudience(io, () => clock);
    expect(heard(ROOM)).toBe(true);
    expect(heard('episode:never-joined:watch')).toBe(false);

    const serverSide = [...io.sockets.sockets.values()][0];
    const dropped = new Promise<void>((resolve) => serverSide?.once('disconnect', () => resolve()));
    client.disconnect();
    await dropped;
    expect(io.of('/').adapter.rooms.has(ROOM)).toBe(false);
    clock += RECOVERY_WINDOW_MS;
    expect(heard(ROOM)).toBe(true);
    clock += 1;
    expect(heard(ROOM)).toBe(false);
  });
});
