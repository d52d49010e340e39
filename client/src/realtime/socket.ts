import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../../shared/protocol/acks.ts';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../../shared/protocol/events.ts';
import { errorCodeText, isCatalogErrorCode } from '../i18n/error-text.ts';
import { i18next, t } from '../i18n/index.ts';

/**
 * The one Socket.IO connection of a participant's tab. Created on first use (researcher pages never open it), not
 * connected until the store says so. Store actions send requests through `request`; only socket-binding.ts listens.
 */

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: AppSocket | null = null;

export function getSocket(): AppSocket {
  socket ??= io({
    autoConnect: false,
    withCredentials: true,
    // The server refuses a tab that speaks an older protocol (`unsupported_protocol`), so it is told to reload.
    auth: { protocolVersion: PROTOCOL_VERSION },
  });
  return socket;
}

type Requests = ClientToServerEvents;
export type RequestName = keyof Requests;
export type PayloadOf<E extends RequestName> = Parameters<Requests[E]>[0];
export type AckOf<E extends RequestName> = Parameters<Parameters<Requests[E]>[1]>[0];
/** The server's ack, or a local failure: no answer in time, or no connection to send on. */
export type RequestResult<E extends RequestName> =
  AckOf<E> | { ok: false; error: 'timeout' | 'offline'; issues?: undefined };

type LooseEmit = (event: string, payload: unknown, ack: (err: Error | null, result: Ack<unknown>) => void) => void;

/** What sending a request needs of a connection: the tab's socket, or the fake socket of a unit test. */
export interface RequestPort {
  readonly connected: boolean;
  /** Emits a request; `ack` gets the server's answer, or an error when none came in time or the connection dropped. */
  emit<E extends RequestName>(
    event: E,
    payload: PayloadOf<E>,
    ack: (err: Error | null, result: AckOf<E>) => void,
  ): void;
}

/** How long the tab waits before it reconnects after `episode_elsewhere`. */
const ELSEWHERE_RECONNECT_MS = 1_000;
let reconnecting = false;

/**
 * Another app node runs this tab's episode (several nodes on one PostgreSQL database, and this connection reached the
 * wrong one): connect again, once, shortly. The proxy's sticky session normally keeps a tab on its episode's node; when
 * that node has died, the new connection's requests find the episode taken over by the node they reach.
 */
function reconnectSoon(): void {
  if (reconnecting) return;
  reconnecting = true;
  const s = getSocket();
  s.disconnect();
  setTimeout(() => {
    reconnecting = false;
    s.connect();
  }, ELSEWHERE_RECONNECT_MS);
}

/** The tab's socket as a RequestPort: a request left unanswered fails after `timeoutMs`. */
export function socketPort(timeoutMs = 15_000): RequestPort {
  return {
    get connected() {
      return getSocket().connected;
    },
    emit(event, payload, ack) {
      // Socket.IO's typed emit cannot follow a generic event name; the event map above keeps callers typed.
      const timed = getSocket().timeout(timeoutMs);
      const emit = timed.emit.bind(timed) as unknown as LooseEmit;
      emit(event, payload, (err, result) => {
        if (!err && !result.ok && result.error === 'episode_elsewhere') reconnectSoon();
        (ack as (err: Error | null, result: Ack<unknown>) => void)(err, result);
      });
    },
  };
}

/**
 * Sends a request and resolves with its ack. Nothing is buffered while offline: callers that must deliver (replies)
 * keep their own outbox and send again on reconnect, which the server makes idempotent.
 */
export function requestOn<E extends RequestName>(
  port: RequestPort,
  event: E,
  payload: PayloadOf<E>,
): Promise<RequestResult<E>> {
  if (!port.connected) return Promise.resolve({ ok: false, error: 'offline' });
  return new Promise((resolve) => {
    port.emit(event, payload, (err, result) => resolve(err ? { ok: false, error: 'timeout' } : result));
  });
}

/** `requestOn` the tab's socket. */
export function request<E extends RequestName>(
  event: E,
  payload: PayloadOf<E>,
  timeoutMs = 15_000,
): Promise<RequestResult<E>> {
  return requestOn(socketPort(timeoutMs), event, payload);
}

/**
 * Failures that mean "no answer yet" or "not now", to try again later rather than report: no answer (offline, too
 * slow), saving delayed on the server (`unavailable`), or another node runs the episode (`episode_elsewhere`; the
 * socket reconnects to it).
 */
export function answersLater(error: string): boolean {
  return error === 'timeout' || error === 'offline' || error === 'unavailable' || error === 'episode_elsewhere';
}

/**
 * A sentence for a failed ack, in the participant's language: the server's own message when it sent one and the pages
 * are in English; otherwise the catalog's message for the error code (client/src/i18n/error-text.ts).
 */
export function ackMessage(result: { ok: false; error: string; issues?: { message: string }[] | undefined }): string {
  const detail = result.issues
    ?.map((i) => i.message)
    .filter((m) => m !== '')
    .join('; ');
  switch (result.error) {
    case 'timeout':
      return t('errors.timeout');
    case 'offline':
      return t('errors.offline');
    case 'unauthenticated':
      return t('errors.sessionEnded');
  }
  if (detail && i18next.language === 'en') return detail;
  return isCatalogErrorCode(result.error) ? errorCodeText(result.error) : t('errors.refused', { code: result.error });
}
