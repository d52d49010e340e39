import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { CrossNodeAdapter } from './postgres-socket-adapter.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events.ts';

/** How long a dropped socket's rooms and missed broadcasts are kept for it to recover. */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/**
 * Broadcasts that connection-state recovery does not keep for replay: what goes only to the actor's own page, which
 * catches up by seq itself. After every reconnect it asks `episode:resync` for the events after the last one it
 * applied and the turn streamed so far (`streaming`), and a missed seq or chunk index is a gap it resyncs for anyway.
 * Kept, they held minutes of every person's conversation and stream in memory (one piece per person every 50 ms),
 * and the garbage collector's time with it. Researchers' views (`episode:logged`) and notices are still replayed.
 */
export const NOT_REPLAYED_EVENTS: ReadonlySet<string> = new Set(['episode:chunked', 'episode:appended']);

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

/** Servers whose broadcasts reach other nodes' sockets too (the PostgreSQL adapter): see `isCrossNode`. */
const crossNodeServers = new WeakSet<RealtimeServer>();

/**
 * Whether this server shares rooms with other nodes: then whether a room is empty here says nothing about the others,
 * and connection-state recovery is off (below).
 */
export function isCrossNode(io: RealtimeServer): boolean {
  return crossNodeServers.has(io);
}

/**
 * Attaches Socket.IO to Fastify's HTTP server. (The fastify-socket.io package does not support Fastify 5.)
 * Sockets are disconnected before Fastify closes the HTTP server, which would otherwise wait for them.
 *
 * With `crossNode` (PostgreSQL: several app nodes may serve one database) broadcasts and room operations go through
 * it to every node. The PostgreSQL adapter cannot do connection-state recovery (it keeps no broadcasts to replay, and
 * a returning socket may reach another node), so recovery is off there: a socket that drops comes back as a new one
 * on any node, and the clients already catch up themselves on every connect (the actor's `episode:resync`, the live
 * monitor's `episode:watch`, which answers with the log so far). Left on, Socket.IO would append an empty offset to
 * every broadcast and still never restore anything.
 */
export function attachSocketIo(app: FastifyInstance, crossNode: CrossNodeAdapter | null = null): RealtimeServer {
  const io: RealtimeServer = new Server(app.server, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    // A browser that drops off for less than two minutes gets the broadcasts it missed and its rooms back;
    // longer gaps are closed by the explicit `episode:resync`. Middlewares (auth) must run again on recovery, and
    // restoring itself waits for the login session to be checked (socket-auth.ts): logging out while a tab's
    // transport is down must not hand it back its rooms.
    ...(crossNode
      ? { adapter: crossNode.adapter }
      : { connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false } }),
  });
  if (crossNode) crossNodeServers.add(io);
  else skipRecoveryFor(io, NOT_REPLAYED_EVENTS);
  app.decorate('io', io);
  app.addHook('preClose', async () => {
    // Only this node's sockets: with the cross-node adapter `io.disconnectSockets` would close every node's.
    io.local.disconnectSockets(true);
    io.engine.close();
  });
  if (crossNode) {
    app.addHook('onClose', async () => {
      // Tells the other nodes this one is gone (else they wait for its heartbeat to lapse), then ends the pool.
      await io.of('/').adapter.close();
      await crossNode.close();
    });
  }
  return io;
}

type AppAdapter = RealtimeServer['sockets']['adapter'];

/**
 * Makes the recovery adapter send the named events without storing them for replay. Socket.IO stores every
 * broadcast (and every `socket.emit`) for its whole window, with no per-event option but `volatile`, which would
 * also drop the packet whenever the socket is busy writing. So the adapter's own broadcast (store, then send) is
 * bypassed for these events in favour of the plain one it extends (send only). Such a packet carries no offset, so
 * a page's recovery point stays at the last stored broadcast and its replay skips nothing else.
 */
function skipRecoveryFor(io: RealtimeServer, events: ReadonlySet<string>): void {
  const adapter = io.of('/').adapter;
  const storeAndSend: AppAdapter['broadcast'] = adapter.broadcast.bind(adapter);
  const parent = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Partial<AppAdapter> | null;
  const sendOnly = parent?.broadcast;
  // Not the adapter this was written for (recovery off, or another Socket.IO version): everything stays as it was.
  if (typeof sendOnly !== 'function' || sendOnly === adapter.broadcast) return;
  adapter.broadcast = (packet: { data?: unknown }, opts) => {
    const event = Array.isArray(packet.data) ? packet.data[0] : undefined;
    if (typeof event === 'string' && events.has(event)) sendOnly.call(adapter, packet, opts);
    else storeAndSend(packet, opts);
  };
}
