import { PROTOCOL_VERSION } from '../../shared/protocol/events.ts';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io';
import { isOriginAllowed } from '../services/auth/origin-policy.ts';
import { resolveSession, SESSION_COOKIE } from '../services/auth/sessions.ts';
import type { Logger } from '../services/logger.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';
import { RECOVERY_WINDOW_MS, type RealtimeServer } from '../plugins/socket-io.ts';

export interface SocketAuthOptions {
  people: PeopleStorage;
  allowedOrigins: readonly string[];
  /** The app's cookie parser and signer (from @fastify/cookie), so sockets and HTTP read the cookie identically. */
  cookies: Pick<FastifyInstance, 'parseCookie' | 'unsignCookie'>;
  /** Where a failed session lookup is logged (with its stack) before the socket is refused with `internal`. */
  log: Logger;
}

/** The room every socket of one login session joins, so logging out can disconnect them all. Server-side only. */
export function sessionRoom(tokenHash: string): string {
  return `session:${tokenHash}`;
}

/** Disconnects every socket opened with this session (after logout): their identity is no longer valid. */
export function disconnectSession(io: RealtimeServer, tokenHash: string): void {
  io.in(sessionRoom(tokenHash)).disconnectSockets(true);
}

function refusal(
  reason: 'cross_origin' | 'unsupported_protocol' | 'unauthenticated' | 'internal',
): Error & { data: { error: string } } {
  // The client sees the message and data of a middleware error; both are closed codes, never exception text.
  const message = reason === 'cross_origin' ? 'forbidden' : reason;
  return Object.assign(new Error(message), { data: { error: reason } });
}

/** The login session of each connected (or recently dropped) socket, by Socket.IO's private session id. */
const sessionOfPid = new Map<string, string>();

/**
 * Connection-state recovery gives a returning socket its rooms (a watched episode, a session room) and replays the
 * broadcasts it missed as soon as the socket object is made, before any middleware runs. So the check cannot wait
 * for the middleware: restoring is refused when the socket's login session is no longer valid (logged out, expired
 * or revoked, here or by another process), and the returning socket is then refused with `unauthenticated` instead
 * of coming back as nobody. Returns the private session ids refused that way, for the middleware.
 */
function guardRecovery(io: RealtimeServer, people: PeopleStorage): Set<string> {
  const refused = new Set<string>();
  const adapter = io.of('/').adapter;
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const tokenHash = sessionOfPid.get(pid);
    if (tokenHash !== undefined && !(await people.findValidSession(tokenHash, new Date()))) {
      // The pid stays mapped to the dead session, so every later attempt with it is refused the same way.
      refused.add(pid);
      // The adapter's type says a session is always found; it answers null when none is, and so does this.
      return null as unknown as Awaited<ReturnType<typeof restore>>;
    }
    return restore(pid, offset);
  };
  return refused;
}

/**
 * Authenticates sockets at the handshake: refuses browser pages of other origins (a WebSocket is not bound by CORS,
 * so without this any site could open one with the visitor's cookie), then sets `socket.data.identity` from the same
 * signed session cookie as HTTP (null for nobody: handlers decide what nobody may do).
 */
export function attachSocketAuth(io: RealtimeServer, options: SocketAuthOptions): void {
  const sessionOf = new WeakMap<Socket, string>();
  const refusedPids = guardRecovery(io, options.people);

  io.use((socket, next) => {
    const headers = socket.handshake.headers;
    // A tab whose login session ended while its transport was down (guardRecovery) is disconnected, not let in anew.
    const pid = (socket.handshake.auth as { pid?: unknown } | undefined)?.pid;
    if (typeof pid === 'string' && refusedPids.delete(pid)) return next(refusal('unauthenticated'));
    if (!isOriginAllowed(headers.origin, headers.host, options.allowedOrigins)) return next(refusal('cross_origin'));
    // Clients say which protocol they speak (`auth: { protocolVersion }`); an outdated tab is told to reload rather
    // than misread events. Clients that send none (scripts, tests) are taken to speak the current one.
    const spoken = (socket.handshake.auth as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (spoken !== undefined && spoken !== PROTOCOL_VERSION) return next(refusal('unsupported_protocol'));
    socket.data.protocolVersion = PROTOCOL_VERSION;
    socket.data.identity = null;
    const raw = headers.cookie === undefined ? undefined : options.cookies.parseCookie(headers.cookie)[SESSION_COOKIE];
    const unsigned = raw === undefined ? null : options.cookies.unsignCookie(raw);
    if (!unsigned?.valid || unsigned.value === null) return next();
    resolveSession(options.people, unsigned.value).then(
      (session) => {
        if (session) {
          socket.data.identity = session.identity;
          sessionOf.set(socket, session.tokenHash);
        }
        next();
      },
      (error: unknown) => {
        options.log.error({ err: error, socketId: socket.id }, 'socket session lookup failed');
        next(refusal('internal'));
      },
    );
  });

  io.on('connection', (socket) => {
    const tokenHash = sessionOf.get(socket);
    if (tokenHash === undefined) return;
    void socket.join(sessionRoom(tokenHash));
    // The private session id recovery is keyed by: set on every socket when recovery is on, but typed private.
    const pid = (socket as unknown as { pid?: unknown }).pid;
    if (typeof pid !== 'string') return;
    sessionOfPid.set(pid, tokenHash);
    socket.once('disconnect', () => {
      // Kept as long as Socket.IO keeps the state for recovery; a tab that never comes back is forgotten.
      setTimeout(() => {
        if (!io.sockets.sockets.has(socket.id)) sessionOfPid.delete(pid);
      }, RECOVERY_WINDOW_MS + 1000).unref();
    });
  });

  if (options.allowedOrigins.length > 0) {
    // Long-polling from a listed origin needs CORS headers on engine.io's own responses (WebSocket does not).
    io.engine.on('headers', (responseHeaders: Record<string, string>, req: IncomingMessage) => {
      const origin = req.headers.origin;
      if (origin !== undefined && options.allowedOrigins.includes(origin)) {
        responseHeaders['Access-Control-Allow-Origin'] = origin;
        responseHeaders['Access-Control-Allow-Credentials'] = 'true';
        responseHeaders.Vary = 'Origin';
      }
    });
  }
}
