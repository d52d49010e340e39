import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events.ts';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
  }
}

/**
 * Attaches Socket.IO to Fastify's HTTP server. (The fastify-socket.io package does not support Fastify 5.)
 * Sockets are disconnected before Fastify closes the HTTP server, which would otherwise wait for them.
 */
export function attachSocketIo(app: FastifyInstance): RealtimeServer {
  const io: RealtimeServer = new Server(app.server, {
    serveClient: false,
    // A message bigger than this is a client bug or an attack; it is dropped before any handler runs.
    maxHttpBufferSize: 1_000_000,
    // A browser that drops off for less than two minutes gets the broadcasts it missed and its rooms back;
    // longer gaps are closed by the explicit `episode:resync`. Middlewares (auth) run again on recovery.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
  });
  app.decorate('io', io);
  app.addHook('preClose', async () => {
    io.disconnectSockets(true);
    io.engine.close();
  });
  return io;
}
