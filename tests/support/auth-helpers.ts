import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import type { JoinResult } from '../../shared/schemas/auth.ts';
import type { Identity, ParticipantRole } from '../../shared/schemas/identity.ts';
import { createResearcher as createResearcherAccount } from '../../server/services/auth/accounts.ts';
import { joinStudy, type StudyGate } from '../../server/services/auth/join-study.ts';
import { issueSession, SESSION_COOKIE } from '../../server/services/auth/sessions.ts';
import type { SessionKind } from '../../server/storage/people-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { agreeToConsent } from './consent-agreement.ts';

/**
 * Signing in and joining for tests, e.g. an authorization matrix:
 *
 *   const researcher = await signInResearcher(t);
 *   const actor = await joinAs(t, 'actor');
 *   await t.app.inject({ method: 'GET', url: '/api/…', headers: { cookie: actor.cookie } });
 *   const socket = await connectSocket(url, { cookie: researcher.cookie });
 *
 * `signInResearcher` and `joinAs` mint sessions through the same services the routes use (issueSession, joinStudy) and
 * sign them with the app's own cookie signer, so the cookie is exactly what the browser would hold, without the
 * per-IP rate limits of the login and join routes. `loginViaHttp` and `joinViaHttp` go through the real routes.
 */

/** Anything with the app and its storage; `TestApp` from test-app.ts fits. */
export interface AppUnderTest {
  app: FastifyInstance;
  storage: Storage;
}

/** A `Cookie` header value: `pd_session=<signed token>`. */
export type CookieHeader = string;

export interface SignedInResearcher {
  researcherId: string;
  username: string;
  password: string;
  identity: Identity;
  cookie: CookieHeader;
}

export interface JoinedParticipant extends JoinResult {
  inviteCode: string;
  identity: Identity;
  cookie: CookieHeader;
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

/** The `pd_session=…` pair from a response's Set-Cookie header, as a browser would send it back; null if absent. */
export function sessionCookieFrom(headers: Record<string, unknown>): CookieHeader | null {
  const setCookie = headers['set-cookie'];
  const all = Array.isArray(setCookie) ? setCookie : typeof setCookie === 'string' ? [setCookie] : [];
  for (const line of all as string[]) {
    const pair = line.split(';')[0] ?? '';
    if (pair.startsWith(`${SESSION_COOKIE}=`) && pair.length > SESSION_COOKIE.length + 1) return pair;
  }
  return null;
}

/** A valid session cookie for an existing researcher or participant id. */
export async function mintSessionCookie(t: AppUnderTest, kind: SessionKind, subjectId: string): Promise<CookieHeader> {
  const { token } = await issueSession(t.storage.people, kind, subjectId);
  return `${SESSION_COOKIE}=${encodeURIComponent(t.app.signCookie(token))}`;
}

/** Creates a researcher (a fresh unique username unless given) and returns a signed-in cookie for it. */
export async function signInResearcher(
  t: AppUnderTest,
  options: { username?: string; password?: string } = {},
): Promise<SignedInResearcher> {
  const username = options.username ?? unique('researcher');
  const password = options.password ?? 'test-password-123';
  const researcher = await createResearcherAccount(t.storage, username, password);
  return {
    researcherId: researcher.id,
    username,
    password,
    identity: { kind: 'researcher', researcherId: researcher.id, username: researcher.username },
    cookie: await mintSessionCookie(t, 'researcher', researcher.id),
  };
}

/** The study to join when none is given: the first one (the sample benchmark in startTestApp), else a new one. */
async function defaultStudyId(storage: Storage): Promise<string> {
  const [first] = await storage.listStudies();
  return first?.id ?? (await storage.createStudy({ name: unique('Study') })).id;
}

/**
 * Joins a study as an actor or rater through a fresh invite, as opening an invitation link does, and returns the
 * participant's cookie. With `prolificPid` the same participant is resumed on later calls. The participant agrees to
 * the study's consent (play and rating require it) unless `consent: false`.
 */
export async function joinAs(
  t: AppUnderTest,
  role: ParticipantRole,
  options: { studyId?: string; prolificPid?: string; studyGate?: StudyGate; consent?: boolean } = {},
): Promise<JoinedParticipant> {
  const studyId = options.studyId ?? (await defaultStudyId(t.storage));
  const invite = await t.storage.people.createInvite({ studyId, role });
  const gate: StudyGate = options.studyGate ?? (async () => 'open');
  const prolific = options.prolificPid === undefined ? {} : { prolificPid: options.prolificPid };
  const { participant, resumed } = await joinStudy(t.storage.people, invite.code, prolific, gate);
  if (options.consent !== false) {
    await agreeToConsent(t.storage, { participantId: participant.id, studyId, role: participant.role });
  }
  return {
    participantId: participant.id,
    studyId,
    role: participant.role,
    resumed,
    inviteCode: invite.code,
    identity: { kind: 'participant', participantId: participant.id, studyId, role: participant.role },
    cookie: await mintSessionCookie(t, 'participant', participant.id),
  };
}

export interface HttpAuthResult {
  status: number;
  body: unknown;
  /** What to send back in a `Cookie` header. */
  cookie: CookieHeader | null;
  /** The whole Set-Cookie line for the session cookie (with its attributes), for asserting on them. */
  setCookie: string | null;
}

function authResult(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }): HttpAuthResult {
  const cookie = sessionCookieFrom(res.headers);
  const lines = ([] as unknown[]).concat(res.headers['set-cookie'] ?? []) as string[];
  return {
    status: res.statusCode,
    body: res.json(),
    cookie,
    setCookie: lines.find((l) => l.startsWith(`${SESSION_COOKIE}=`)) ?? null,
  };
}

/** `POST /api/auth/login` through the real route (rate limited: 10 per minute per IP by default). */
export async function loginViaHttp(
  app: FastifyInstance,
  username: string,
  password: string,
  cookie?: CookieHeader,
): Promise<HttpAuthResult> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    ...(cookie ? { headers: { cookie } } : {}),
  });
  return authResult(res);
}

/** `POST /api/join/:code` through the real route, with the link's Prolific parameters. */
export async function joinViaHttp(
  app: FastifyInstance,
  code: string,
  params: Record<string, string> = {},
  cookie?: CookieHeader,
): Promise<HttpAuthResult> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/join/${encodeURIComponent(code)}`,
    payload: params,
    ...(cookie ? { headers: { cookie } } : {}),
  });
  return authResult(res);
}

/** Starts listening on 127.0.0.1:0 unless the app already listens; returns the base URL. */
export async function listenOnce(app: FastifyInstance): Promise<string> {
  const address = app.server.address();
  if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`;
  return app.listen({ host: '127.0.0.1', port: 0 });
}

export interface SocketOptions {
  cookie?: CookieHeader;
  /** Sent as the Origin header, to act as a browser page of that origin. */
  origin?: string;
}

function open(url: string, options: SocketOptions): TestSocket {
  const headers: Record<string, string> = {
    ...(options.cookie ? { cookie: options.cookie } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  };
  // WebSocket only: the handshake carries the headers exactly as a browser's would, with no polling fallback.
  return connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: headers });
}

/** A connected socket.io client with the given cookie (or none); rejects with the server's refusal if refused. */
export function connectSocket(url: string, options: SocketOptions = {}): Promise<TestSocket> {
  const socket = open(url, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The identity the server attached to this client's socket at the handshake (null for nobody). */
export async function serverIdentityOf(app: FastifyInstance, socket: TestSocket): Promise<Identity | null | undefined> {
  const [remote] = await app.io.in(socket.id ?? '').fetchSockets();
  return remote?.data.identity;
}

/** Connects expecting a refusal; resolves with the error the client saw (message and `data`). */
export async function socketRefusal(url: string, options: SocketOptions = {}): Promise<Error & { data?: unknown }> {
  try {
    const socket = await connectSocket(url, options);
    socket.close();
  } catch (error) {
    return error as Error & { data?: unknown };
  }
  throw new Error('expected the socket to be refused, but it connected');
}
