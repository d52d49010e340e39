import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { bindSocket, type RealtimeSink, type SocketRefusal } from '../../client/src/realtime/socket-binding.ts';
import type { AppSocket } from '../../client/src/realtime/socket.ts';
import { socketIoServer } from '../support/socket-io-server.ts';

// A real Socket.IO server whose handshake middleware answers as the app's socket-auth does: an Error carrying a
// closed code in `data.error`, chosen here by the client's `auth.refuse`.
const server = socketIoServer((ioServer) =>
  ioServer.use((socket, next) => {
    const refuse = (socket.handshake.auth as { refuse?: unknown }).refuse;
    if (typeof refuse === 'string') return next(Object.assign(new Error(refuse), { data: { error: refuse } }));
    next();
  }),
);

/** What bindSocket told the store, until the first refusal or drop. */
type Outcome = { refused: SocketRefusal } | { dropped: true };

function outcome(refuse: string): Promise<Outcome> {
  const socket: AppSocket = io(server.url, { transports: ['websocket'], reconnection: false, auth: { refuse } });
  return new Promise<Outcome>((resolve) => {
    const sink: RealtimeSink = {
      onSocketConnected: () => undefined,
      onSocketDropped: () => resolve({ dropped: true }),
      onSocketRefused: (reason) => resolve({ refused: reason }),
      onEpisodeAppended: () => undefined,
      onEpisodeChunked: () => undefined,
      onEpisodeWarned: () => undefined,
    };
    bindSocket(socket, sink);
  }).finally(() => socket.close());
}

describe('bindSocket: handshake refusals reach the store as refusals, not as a dropped connection', () => {
  it.each(['unauthenticated', 'unsupported_protocol', 'cross_origin', 'internal'] as const)('%s', async (code) => {
    expect(await outcome(code)).toEqual({ refused: code });
  });

  it('a code that is not a refusal counts as a drop (Socket.IO retries it)', async () => {
    expect(await outcome('something_else')).toEqual({ dropped: true });
  });
});
