import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import { AppError } from '../../shared/errors.ts';
import type { Ack } from '../../shared/protocol/acks.ts';
import type {
  AckData,
  ClientToServerEvents,
  InterServerEvents,
  RequestName,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events.ts';
import type { Identity } from '../../shared/schemas/identity.ts';
import type { Logger } from '../services/logger.ts';

/** What a failed request is logged with: which event, on which socket, from whom. */
export interface AckContext {
  event: string;
  socket: { readonly id: string; readonly data: { identity?: Identity | null } };
  log: Logger;
}

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Who sent the request, as log fields (ids only, never names). */
function whoFields(identity: Identity | null | undefined): Record<string, string> {
  if (!identity) return { identity: 'nobody' };
  return identity.kind === 'researcher'
    ? { identity: 'researcher', researcherId: identity.researcherId }
    : {
        identity: 'participant',
        role: identity.role,
        participantId: identity.participantId,
        studyId: identity.studyId,
      };
}

/** The study and episode a payload names, if it names any, so a failure can be traced to them. */
function payloadIds(payload: unknown): Record<string, string> {
  const ids: Record<string, string> = {};
  if (typeof payload !== 'object' || payload === null) return ids;
  for (const key of ['studyId', 'episodeId', 'itemId'] as const) {
    const value = (payload as Record<string, unknown>)[key];
    if (typeof value === 'string') ids[key] = value;
  }
  return ids;
}

/**
 * Wraps a socket request handler: parses the payload with its schema, calls the handler, and always answers with an
 * Ack. A client that sends no ack callback, or garbage, cannot crash the server or get exception text back. An
 * AppError is a refusal: its code and issues (or its message, as one issue at `$`) go to the client. Anything else
 * is a bug: logged with its stack and the socket context, and answered `internal`.
 */
export function guardedAck<S extends z.ZodType, T>(
  context: AckContext,
  schema: S,
  handler: (payload: z.infer<S>) => Promise<T>,
) {
  return (...args: unknown[]): void => {
    // Socket.IO passes the ack callback as the last argument, however many come before it. A request sent with no
    // payload or with extra arguments must still be answered (found by fuzzing: the client waited forever).
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<T>) => void;
    if (args.length !== 2) {
      reply({
        ok: false,
        error: 'invalid_payload',
        issues: [{ path: '$', message: `expected one payload before the ack, got ${args.length - 1}` }],
      });
      return;
    }
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      reply({
        ok: false,
        error: 'invalid_payload',
        issues: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
      });
      return;
    }
    handler(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        if (error instanceof AppError && error.code !== 'internal') {
          const issues =
            error.issues && error.issues.length > 0 ? error.issues : [{ path: '$', message: error.message }];
          reply({ ok: false, error: error.code, issues });
          return;
        }
        context.log.error(
          {
            err: error,
            event: context.event,
            socketId: context.socket.id,
            ...whoFields(context.socket.data.identity),
            ...payloadIds(parsed.data),
          },
          'socket request failed',
        );
        reply({ ok: false, error: 'internal' });
      },
    );
  };
}

/**
 * Registers request handlers on one socket, each wrapped by guardedAck with the event's name for the log. The
 * handler's result must be the data the event's ack carries (shared/protocol/events.ts).
 */
export function socketRequests(socket: AppSocket, log: Logger) {
  return <E extends RequestName, S extends z.ZodType>(
    event: E,
    schema: S,
    handler: (payload: z.infer<S>) => Promise<AckData<E>>,
  ): void => {
    // Socket.IO's typed `on` cannot follow a generic event name; the signature above keeps each handler typed.
    const on = socket.on.bind(socket) as (name: string, listener: (...args: unknown[]) => void) => void;
    on(event, guardedAck({ event, socket, log }, schema, handler));
  };
}
