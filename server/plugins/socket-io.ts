import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events.ts';

/** How long a dropped socket's rooms and missed broadcasts are kept for it to recover. */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
  }
}

/**
 * A message bigger than this is a client bug or an attack; the connection is dropped before any handler runs. The
 * largest real message, a rating with a 10,000-character justification, is about 30 KB.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

/**
 * Attaches Socket.IO to Fastify's HTTP server. (The fastify-socket.io package does not support Fastify 5.)
 * Sockets are disconnected before Fastify closes the HTTP server, which would otherwise wait for them.
 */
export function attachSocketIo(app: FastifyInstance): RealtimeServer {
  const io: RealtimeServer = new Server(app.server, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    // A browser that drops off for less than two minutes gets the broadcasts it missed and its rooms back;
    // longer gaps are closed by the explicit `episode:resync`. Middlewares (auth) must run again on recovery, and
    // restoring itself waits for the login session to be checked (socket-auth.ts): logging out while a tab's
    // transport is down must not hand it back its rooms.
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
  });
  app.decorate('io', io);
  app.addHook('preClose', async () => {
    io.disconnectSockets(true);
    io.engine.close();
  });
  return io;
}
