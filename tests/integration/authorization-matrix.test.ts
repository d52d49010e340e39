import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ACK_ERROR_CODES, type Ack } from '../../shared/protocol/acks.ts';
import { CLIENT_EVENT_NAMES } from '../../shared/protocol/events.ts';
import { connectSocket, joinAs, signInResearcher } from '../support/auth-helpers.ts';
import { routesOf } from '../support/blind-scan.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Who may call what. Every route and every socket event must appear here: a new one that is not classified fails the
 * test, so nobody adds an endpoint without deciding who may use it.
 */
type Who = 'nobody' | 'researcher' | 'actor' | 'rater';
const PUBLIC: Who[] = ['nobody', 'researcher', 'actor', 'rater'];
const RESEARCHER: Who[] = ['researcher'];

/** Routes anyone may call (each still validates its input); all other /api routes are for researchers only. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/join/:code',
  'GET /api/auth/setup', 'POST /api/auth/setup',
]);

/** Routes for participants (actors and raters) only. */
const PARTICIPANT_ROUTES = new Set(['GET /api/participant/study']);

const EVENT_ACCESS: Record<(typeof CLIENT_EVENT_NAMES)[number], Who[]> = {
  'study:list': RESEARCHER,
  'play:start': ['actor'],
  'episode:reply': ['actor'],
  'episode:resync': ['actor'],
  'episode:tag': ['actor'],
  'episode:rate': ['actor'],
  'episode:watch': RESEARCHER,
  'rating:next': ['rater'],
  'rating:submit': ['rater'],
};

/** A valid-looking payload per event, so a refusal can only come from who is asking. */
const SAMPLE_PAYLOAD: Record<(typeof CLIENT_EVENT_NAMES)[number], unknown> = {
  'study:list': {},
  'play:start': {},
  'episode:reply': { episodeId: 'e-1', clientMessageId: 'c-1', text: 'hello' },
  'episode:resync': { episodeId: 'e-1', afterSeq: -1 },
  'episode:tag': { episodeId: 'e-1', turn: 0, tag: 'relevant' },
  'episode:rate': { episodeId: 'e-1', scores: {}, correct: 1, secondsSpent: 1 },
  'episode:watch': { episodeId: 'e-1' },
  'rating:next': {},
  'rating:submit': { itemId: 'i-1', scores: {}, correct: 1, secondsSpent: 1 },
};

const dir = tempDir();
let t: TestApp;
let url: string;
const cookies: Partial<Record<Who, string>> = {};

/** Fresh sessions for everyone (signing out, which the matrix also calls, revokes them). */
async function signInEveryone(): Promise<void> {
  cookies.researcher = (await signInResearcher(t)).cookie;
  cookies.actor = (await joinAs(t, 'actor')).cookie;
  cookies.rater = (await joinAs(t, 'rater')).cookie;
}

beforeAll(async () => {
  t = await startTestApp(dir);
  await signInEveryone();
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t.close();
});

function headers(who: Who): Record<string, string> {
  return who === 'nobody' ? {} : { cookie: cookies[who] ?? '' };
}

describe('authorization matrix: every HTTP route × nobody / researcher / actor / rater', () => {
  it('refuses everyone the route is not for (401 for nobody, 403 for the wrong role) and lets the right people through', async () => {
    const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(20);
    const studyId = (await t.storage.listStudies())[0]?.id ?? '';
    const checked: string[] = [];
    for (const route of routes) {
      for (const method of route.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
        const key = `${method} ${route.path}`;
        const allowed: Who[] = PUBLIC_ROUTES.has(key) ? PUBLIC : PARTICIPANT_ROUTES.has(key) ? ['actor', 'rater'] : RESEARCHER;
        const path = route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'studyId' ? studyId : 'x'));
        for (const who of ['nobody', 'researcher', 'actor', 'rater'] as Who[]) {
          // Rate-limited public routes are exercised by their own tests; here one call each is enough.
          const res = await t.app.inject({ method: method as 'GET', url: path, headers: { ...headers(who), 'content-type': 'application/json' }, payload: method === 'GET' ? undefined : '{}' });
          if (allowed.includes(who)) {
            expect([401, 403].includes(res.statusCode) && !PUBLIC_ROUTES.has(key), `${key} as ${who} → ${res.statusCode}`).toBe(false);
          } else {
            expect(res.statusCode, `${key} as ${who}`).toBe(who === 'nobody' ? 401 : 403);
          }
          expect(res.statusCode, `${key} as ${who}: no server error`).toBeLessThan(500);
          if (key === 'POST /api/auth/logout') await signInEveryone();
        }
        checked.push(key);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/studies', 'GET /api/personas', 'POST /api/join/:code']));
  });
});

describe('authorization matrix: every socket event × nobody / researcher / actor / rater', () => {
  it('answers unauthenticated or forbidden to those an event is not for, and never crashes', async () => {
    const sockets: Partial<Record<Who, Socket>> = {};
    for (const who of ['nobody', 'researcher', 'actor', 'rater'] as Who[]) {
      sockets[who] = (await connectSocket(url, who === 'nobody' ? {} : { cookie: cookies[who] ?? '' })) as unknown as Socket;
    }
    try {
      for (const event of CLIENT_EVENT_NAMES) {
        for (const who of ['nobody', 'researcher', 'actor', 'rater'] as Who[]) {
          const ack = (await sockets[who]?.timeout(5000).emitWithAck(event, SAMPLE_PAYLOAD[event])) as Ack<unknown>;
          if (EVENT_ACCESS[event].includes(who)) {
            expect(ack.ok || !['unauthenticated', 'forbidden'].includes(ack.error), `${event} as ${who}: ${JSON.stringify(ack)}`).toBe(true);
          } else {
            expect(ack, `${event} as ${who}`).toMatchObject({ ok: false, error: who === 'nobody' ? 'unauthenticated' : 'forbidden' });
          }
        }
      }
    } finally {
      for (const s of Object.values(sockets)) s?.close();
    }
  });

  it('malformed payloads of every event get a closed error code and the server stays up', async () => {
    const garbage: unknown[] = [undefined, null, 42, 'text', [], { episodeId: { $ne: 1 } }, { itemId: 'x'.repeat(10_000) }, { a: { b: { c: { d: [1, { e: null }] } } } }, { __proto__: { admin: true } }];
    for (const who of ['researcher', 'actor', 'rater'] as Who[]) {
      const socket = (await connectSocket(url, { cookie: cookies[who] ?? '' })) as unknown as Socket;
      try {
        for (const event of CLIENT_EVENT_NAMES) {
          if (!EVENT_ACCESS[event].includes(who)) continue;
          for (const payload of garbage) {
            const ack = (await socket.timeout(5000).emitWithAck(event, payload)) as Ack<unknown>;
            if (!ack.ok) expect(ACK_ERROR_CODES, `${event} ${JSON.stringify(payload)?.slice(0, 40)}`).toContain(ack.error);
            else expect(['study:list', 'play:start', 'rating:next'], `${event} accepted garbage ${JSON.stringify(payload)?.slice(0, 40)}`).toContain(event);
          }
        }
      } finally {
        socket.close();
      }
    }
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});
