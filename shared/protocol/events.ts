import type { Identity } from '../schemas/identity.ts';
import type { StudySummary } from '../schemas/study.ts';
import type { Ack } from './acks.ts';

/** Bumped whenever an event's name or payload changes incompatibly; clients send it when they connect. */
export const PROTOCOL_VERSION = 1;

/**
 * Requests are named `domain:verb` and always take an ack; broadcasts are `domain:verbed`.
 * Payloads are parsed on the server with the zod schemas in shared/schemas before use.
 */
export interface ClientToServerEvents {
  'study:list': (payload: Record<string, never>, ack: (result: Ack<StudySummary[]>) => void) => void;
}

export interface ServerToClientEvents {
  'study:imported': (payload: { studyId: string; recordsAdded: number }) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events yet
export interface InterServerEvents {}

export interface SocketData {
  protocolVersion: number;
  /** Set at the handshake from the session cookie (server/realtime/socket-auth.ts); null for nobody. */
  identity: Identity | null;
}
