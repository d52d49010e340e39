import { io } from 'socket.io-client';
import { expect, it } from 'vitest';
import type { EpisodeWarned } from '../../shared/protocol/live.ts';
import { bindSocket } from '../../client/src/realtime/socket-binding.ts';
import type { AppSocket } from '../../client/src/realtime/socket.ts';
import { socketIoServer } from '../support/socket-io-server.ts';

// A real Socket.IO server that sends each connecting client the warnings the live services send an actor.
const WARNINGS: EpisodeWarned[] = [
  { episodeId: 'ep1', kind: 'storage', state: 'delayed' },
  { episodeId: 'ep1', kind: 'idle', secondsLeft: 30 },
  { episodeId: 'ep1', kind: 'storage', state: 'resumed' },
];
const server = socketIoServer((ioServer) =>
  ioServer.on('connection', (socket) => {
    for (const w of WARNINGS) socket.emit('episode:warned', w);
  }),
);

it('bindSocket: idle warnings and storage notices reach their own store actions, in order', async () => {
  const socket: AppSocket = io(server.url, { transports: ['websocket'], reconnection: false });
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    bindSocket(socket, {
      onSocketConnected: () => undefined,
      onSocketDropped: () => undefined,
      onSocketRefused: () => undefined,
      onEpisodeAppended: () => undefined,
      onEpisodeChunked: () => undefined,
      onEpisodeWarned: (episodeId, secondsLeft) => void seen.push(`idle ${episodeId} ${secondsLeft}`),
      onEpisodeStorage: (episodeId, state) => {
        seen.push(`storage ${episodeId} ${state}`);
        if (state === 'resumed') resolve();
      },
    });
  }).finally(() => socket.close());
  expect(seen).toEqual(['storage ep1 delayed', 'idle ep1 30', 'storage ep1 resumed']);
});
