import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../server/app.ts';
import { buildApp } from '../../server/app.ts';
import type { StudyGateState } from '../../server/services/auth/join-study.ts';
import { hashSessionToken } from '../../server/services/auth/sessions.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import {
  connectSocket,
  joinAs,
  joinViaHttp,
  loginViaHttp,
  serverIdentityOf,
  signInResearcher,
  socketRefusal,
} from '../support/auth-helpers.ts';
import { tempDir } from '../support/temp-files.ts';

// One file for the whole access surface (HTTP, cookies, joining, headers, sockets): the cases share one app and
// read best side by side.

const dir = tempDir();
let n = 0;
const gates = new Map<string, StudyGateState>();

interface Built {
  app: FastifyInstance;
  storage: SqliteStorage;
  studyId: string;
}

/** The real app on a fresh SQLite file with one study; a study's gate state is whatever `gates` says (default open). */
async function startApp(overrides: Partial<AppDeps> & { file?: string } = {}): Promise<Built> {
  const storage = SqliteStorage.open({ file: overrides.file ?? join(dir, `auth-${++n}.sqlite`) });
  const studyId =
    (await storage.findStudyByName('Auth study'))?.id ?? (await storage.createStudy({ name: 'Auth study' })).id;
  const app = await buildApp({
    storage,
    studyGate: async (id) => gates.get(id) ?? ((await storage.getStudy(id)) ? 'open' : 'missing'),
    ...overrides,
    config: { clientDir: join(dir, 'no-client'), ...overrides.config },
  });
  return { app, storage, studyId };
}

let t: Built;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.app.close();
  await t.storage.close();
});

function setCookieLine(headers: Record<string, unknown>): string {
  const value = headers['set-cookie'];
  return Array.isArray(value) ? value.join('\n') : String(value ?? '');
}

const me = (cookie?: string) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', ...(cookie ? { headers: { cookie } } : {}) });

describe('researcher sign-in', () => {
  it('logs in with the right password and sets a signed, httpOnly, SameSite=Lax session cookie', async () => {
    const r = await signInResearcher(t, { username: 'Alice', password: 'alice-password-1' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'alice', password: 'alice-password-1' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ identity: { kind: 'researcher', researcherId: r.researcherId, username: 'Alice' } });
    const line = setCookieLine(res.headers);
    expect(line).toMatch(/^pd_session=[^;]+; /);
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Lax');
    expect(line).toContain('Path=/');
    expect(line).not.toContain('Secure');
    const expires = Date.parse(/Expires=([^;]+)/.exec(line)?.[1] ?? '');
    expect(Math.round((expires - Date.now()) / 86_400_000)).toBe(30);
    expect(res.headers['cache-control']).toBe('no-store');

    // Signed: token "." HMAC; only the SHA-256 of the token is stored.
    const value = decodeURIComponent(/^pd_session=([^;]+)/.exec(line)?.[1] ?? '');
    const unsigned = t.app.unsignCookie(value);
    expect(unsigned.valid).toBe(true);
    const session = await t.storage.people.findValidSession(hashSessionToken(unsigned.value ?? ''), new Date());
    expect(session?.identity).toEqual({ kind: 'researcher', researcherId: r.researcherId, username: 'Alice' });

    const who = await me(line.split(';')[0]);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({ identity: { kind: 'researcher', researcherId: r.researcherId, username: 'Alice' } });
  });

  it('answers a wrong password and an unknown user the same way, without a cookie', async () => {
    await signInResearcher(t, { username: 'bob', password: 'bob-password-1' });
    const wrong = await loginViaHttp(t.app, 'bob', 'bob-password-2');
    const unknown = await loginViaHttp(t.app, 'nobody', 'bob-password-1');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_credentials', message: 'wrong username or password' });
      expect(res.cookie).toBeNull();
    }
  });

  it('without a cookie, or with a tampered, unsigned or expired one, nobody is signed in', async () => {
    const r = await signInResearcher(t);
    expect((await me()).statusCode).toBe(401);
    expect((await me()).json()).toMatchObject({ error: 'unauthenticated' });
    const value = decodeURIComponent(r.cookie.slice('pd_session='.length));
    const [token, signature] = [value.slice(0, value.lastIndexOf('.')), value.slice(value.lastIndexOf('.') + 1)];
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}.${signature}`;
    const expired = await t.storage.people
      .createSession({
        tokenHash: hashSessionToken('x'.repeat(43)),
        kind: 'researcher',
        subjectId: r.researcherId,
        createdAt: '2020-01-01T00:00:00.000Z',
        expiresAt: '2020-02-01T00:00:00.000Z',
      })
      .then(() => `pd_session=${encodeURIComponent(t.app.signCookie('x'.repeat(43)))}`);
    for (const cookie of [
      `pd_session=${encodeURIComponent(flipped)}`,
      `pd_session=${token}`,
      `pd_session=${token}.AAAA`,
      expired,
    ]) {
      expect((await me(cookie)).statusCode, cookie).toBe(401);
    }
    expect((await me(r.cookie)).statusCode).toBe(200);
  });

  it('logout revokes the session and clears the cookie', async () => {
    const r = await signInResearcher(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: r.cookie } });
    expect(res.statusCode).toBe(200);
    expect(setCookieLine(res.headers)).toMatch(/^pd_session=; .*Expires=Thu, 01 Jan 1970/);
    // Replaying the old cookie (a copy kept elsewhere) no longer works.
    expect((await me(r.cookie)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
  });

  it('a new login revokes the session the browser held before', async () => {
    const r = await signInResearcher(t, { username: 'carol', password: 'carol-password' });
    const again = await loginViaHttp(t.app, 'carol', 'carol-password', r.cookie);
    expect(again.status).toBe(200);
    expect((await me(r.cookie)).statusCode).toBe(401);
    expect((await me(again.cookie ?? '')).statusCode).toBe(200);
  });

  it('rate-limits login to 10 attempts per minute per IP', async () => {
    const other = await startApp();
    try {
      const statuses: number[] = [];
      // A name each time: the per-account lockout (tested below) would otherwise answer 429 after five.
      for (let i = 0; i < 11; i++)
        statuses.push((await loginViaHttp(other.app, `nobody-${i}`, `guess-${i}-password`)).status);
      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'x', password: 'y' },
      });
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ error: 'rate_limited' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await other.app.close();
      await other.storage.close();
    }
  });
});

/** The seconds a lockout answer says to wait (details.retryAfterSeconds). */
function lockWait(body: unknown): number {
  const details = (body as { details?: { retryAfterSeconds?: unknown } }).details;
  return typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : Number.NaN;
}

describe('per-account lockout after repeated failed sign-ins', () => {
  it('locks the username (even for the right password) with 429 and Retry-After; other names are unaffected', async () => {
    const other = await startApp({ rateLimits: { loginPerMinute: 1000, joinPerMinute: 1000 } });
    try {
      await signInResearcher(other, { username: 'dora', password: 'dora-password-9' });
      await signInResearcher(other, { username: 'emil', password: 'emil-password-9' });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await loginViaHttp(other.app, 'dora', `wrong-guess-${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const locked = await other.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'DORA', password: 'dora-password-9' },
      });
      expect(locked.statusCode).toBe(429);
      // The lock lasts 60 s from the fifth failure; on a loaded machine a second may pass before this request is read.
      const wait = lockWait(locked.json());
      expect(wait).toBeGreaterThanOrEqual(55);
      expect(wait).toBeLessThanOrEqual(60);
      expect(locked.json()).toMatchObject({ error: 'rate_limited', details: { retryAfterSeconds: wait } });
      expect(locked.json().message).toMatch(
        new RegExp(`too many failed sign-ins for this username; try again in ${wait} s`),
      );
      expect(locked.headers['retry-after']).toBe(String(wait));
      expect(locked.cookies).toEqual([]);
      // An unknown username is counted and locked the same way, so a 429 does not tell whether an account exists.
      for (let i = 0; i < 5; i++) await loginViaHttp(other.app, 'ghost', `wrong-guess-${i}`);
      const ghost = await loginViaHttp(other.app, 'ghost', 'dora-password-9');
      expect(ghost.status).toBe(429);
      const ghostWait = lockWait(ghost.body);
      expect(ghostWait).toBeGreaterThanOrEqual(55);
      expect(JSON.stringify(ghost.body).replaceAll(String(ghostWait), 'N')).toBe(
        JSON.stringify(locked.json()).replaceAll(String(wait), 'N'),
      );
      expect((await loginViaHttp(other.app, 'emil', 'emil-password-9')).status).toBe(200);
    } finally {
      await other.app.close();
      await other.storage.close();
    }
  });
});

describe('joining a study through an invitation link', () => {
  it('creates a participant, sets its cookie, and resumes it for the same PROLIFIC_PID', async () => {
    const invite = await t.storage.people.createInvite({ studyId: t.studyId, role: 'actor' });
    const params = { PROLIFIC_PID: '60aaaaaaaaaaaaaaaaaaaaaa', STUDY_ID: 'st1', SESSION_ID: 'se1' };
    const first = await joinViaHttp(t.app, invite.code, params);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ studyId: t.studyId, role: 'actor', resumed: false });
    const { participantId } = first.body as { participantId: string };
    expect(first.setCookie).toMatch(/HttpOnly; SameSite=Lax|SameSite=Lax.*HttpOnly/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(first.setCookie ?? '')?.[1] ?? '');
    expect(Math.round((expires - Date.now()) / 86_400_000)).toBe(90);
    expect((await me(first.cookie ?? '')).json()).toEqual({
      identity: { kind: 'participant', participantId, studyId: t.studyId, role: 'actor' },
    });
    expect(await t.storage.people.getParticipant(participantId)).toMatchObject({
      prolificPid: params.PROLIFIC_PID,
      prolificStudyId: 'st1',
      prolificSessionId: 'se1',
      inviteCode: invite.code,
    });

    // A new browser resumes with the link of the same Prolific attempt (PID and SESSION_ID; join-takeover.test.ts).
    const again = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: params.PROLIFIC_PID, SESSION_ID: 'se1' });
    expect(again.body).toEqual({
      participantId,
      studyId: t.studyId,
      role: 'actor',
      resumed: true,
      consentText: '',
      instructions: '',
    });
  });

  it('concurrent joins with the same PID yield one participant', async () => {
    const invite = await t.storage.people.createInvite({ studyId: t.studyId, role: 'rater' });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'concurrent-pid', SESSION_ID: 'concurrent-session' }),
      ),
    );
    const bodies = results.map((r) => r.body as { participantId: string; resumed: boolean });
    expect(results.map((r) => r.status)).toEqual(Array<number>(6).fill(200));
    expect(new Set(bodies.map((b) => b.participantId)).size).toBe(1);
    expect(bodies.filter((b) => !b.resumed)).toHaveLength(1);
  });

  it('without a PID each new browser is a new participant; the same browser resumes through its cookie', async () => {
    const invite = await t.storage.people.createInvite({ studyId: t.studyId, role: 'rater' });
    const a = await joinViaHttp(t.app, invite.code);
    const b = await joinViaHttp(t.app, invite.code, {});
    const idOf = (r: { body: unknown }) => (r.body as { participantId: string }).participantId;
    expect(idOf(a)).not.toBe(idOf(b));
    const reload = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: '' }, a.cookie ?? '');
    expect(reload.body).toMatchObject({ participantId: idOf(a), resumed: true });
    // The same participant's session is kept, so their other tabs stay connected (another participant's is replaced:
    // authorization-matrix.test.ts, "a replaced session").
    expect(reload.cookie).toBe(a.cookie);
    expect((await me(a.cookie ?? '')).statusCode).toBe(200);
  });

  it('refuses a paused or closed study, a withdrawn or unknown link, and a second role for the same PID', async () => {
    const study = await t.storage.createStudy({ name: 'Gated study' });
    const invite = await t.storage.people.createInvite({ studyId: study.id, role: 'actor' });
    gates.set(study.id, 'paused');
    expect(await joinViaHttp(t.app, invite.code)).toMatchObject({
      status: 403,
      body: { error: 'study_paused' },
      cookie: null,
    });
    gates.set(study.id, 'closed');
    expect(await joinViaHttp(t.app, invite.code)).toMatchObject({ status: 403, body: { error: 'study_closed' } });
    gates.delete(study.id);

    const actor = await joinAs(t, 'actor', { studyId: study.id, prolificPid: 'two-roles' });
    const raterInvite = await t.storage.people.createInvite({ studyId: study.id, role: 'rater' });
    expect(await joinViaHttp(t.app, raterInvite.code, { PROLIFIC_PID: 'two-roles' })).toMatchObject({
      status: 409,
      body: { error: 'role_conflict' },
    });
    expect(actor.resumed).toBe(false);

    await t.storage.people.revokeInvite(invite.code);
    expect(await joinViaHttp(t.app, invite.code)).toMatchObject({ status: 404, body: { error: 'invalid_invite' } });
    expect(await joinViaHttp(t.app, 'AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      status: 404,
      body: { error: 'invalid_invite' },
    });
  });
});

describe('payload validation', () => {
  it('answers invalid bodies with 400 naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/api/auth/login', { username: 5, password: 'x' }, '$.username'],
      ['/api/auth/login', { username: 'alice' }, '$.password'],
      ['/api/join/AAAAAAAAAAAAAAAAAAAAAA', { PROLIFIC_PID: '{{%PROLIFIC_PID%}}' }, '$.PROLIFIC_PID'],
      ['/api/join/AAAAAAAAAAAAAAAAAAAAAA', { SESSION_ID: 'x'.repeat(65) }, '$.SESSION_ID'],
      ['/api/join/not%20a%20code', {}, '$.code'],
    ];
    for (const [url, payload, path] of cases) {
      const res = await t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: 'invalid_payload', issues: [{ path }] });
    }
  });
});

describe('headers and origin policy', () => {
  it('sends a CSP fitted to the built app and the other security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { host: 'study.example:5170' } });
    const csp = String(res.headers['content-security-policy']);
    for (const part of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "connect-src 'self' ws://study.example:5170 wss://study.example:5170",
    ]) {
      expect(csp).toContain(part);
    }
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('over https: Secure cookies and HSTS', async () => {
    const secure = await startApp({ config: { clientDir: join(dir, 'no-client'), secureCookies: true } });
    try {
      await signInResearcher(secure, { username: 'sec', password: 'secure-password' });
      const res = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'sec', password: 'secure-password' },
      });
      expect(setCookieLine(res.headers)).toContain('; Secure');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=15552000/);
    } finally {
      await secure.app.close();
      await secure.storage.close();
    }
  });

  it('refuses state-changing requests from other origins; same-origin and listed origins pass', async () => {
    const post = (origin: string, app = t.app) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { origin, host: 'app.example:5170' },
      });
    expect((await post('https://evil.example')).json()).toEqual({
      error: 'cross_origin',
      message: 'requests from other sites are refused',
    });
    expect((await post('https://evil.example')).statusCode).toBe(403);
    expect((await post('null')).statusCode).toBe(403);
    expect((await post('http://app.example:5170')).statusCode).toBe(200);

    const open = await startApp({
      config: { clientDir: join(dir, 'no-client'), allowedOrigins: ['https://partner.example'] },
    });
    try {
      const res = await post('https://partner.example', open.app);
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://partner.example');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect((await post('https://evil.example', open.app)).statusCode).toBe(403);
    } finally {
      await open.app.close();
      await open.storage.close();
    }
  });

  it('the generated cookie secret is kept in the database, so sessions survive a restart', async () => {
    const file = join(dir, 'restart.sqlite');
    const first = await startApp({ file });
    const r = await signInResearcher(first);
    await first.app.close();
    await first.storage.close();
    const second = await startApp({ file });
    const configured = await startApp({
      file,
      config: { clientDir: join(dir, 'no-client'), cookieSecret: 'c'.repeat(40) },
    });
    try {
      const ask = (app: FastifyInstance) =>
        app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: r.cookie } });
      expect((await ask(second.app)).statusCode).toBe(200);
      // A configured secret replaces the stored one: cookies signed with the old key are no longer accepted.
      expect((await ask(configured.app)).statusCode).toBe(401);
    } finally {
      for (const b of [second, configured]) await b.app.close();
      await second.storage.close();
      await configured.storage.close();
    }
  });
});

describe('sockets', () => {
  let url: string;
  beforeAll(async () => {
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });

  it('a socket with a researcher cookie gets that identity; without a cookie, nobody', async () => {
    const r = await signInResearcher(t);
    const withCookie = await connectSocket(url, { cookie: r.cookie });
    const without = await connectSocket(url);
    try {
      expect(await serverIdentityOf(t.app, withCookie)).toEqual(r.identity);
      expect(await serverIdentityOf(t.app, without)).toBeNull();
    } finally {
      withCookie.close();
      without.close();
    }
  });

  it('a participant socket gets the participant identity', async () => {
    const rater = await joinAs(t, 'rater', { studyId: t.studyId });
    const socket = await connectSocket(url, { cookie: rater.cookie });
    try {
      expect(await serverIdentityOf(t.app, socket)).toEqual({
        kind: 'participant',
        participantId: rater.participantId,
        studyId: t.studyId,
        role: 'rater',
      });
    } finally {
      socket.close();
    }
  });

  it('refuses a socket from a foreign Origin, even with a valid cookie; same-origin connects', async () => {
    const r = await signInResearcher(t);
    const refused = await socketRefusal(url, { cookie: r.cookie, origin: 'https://evil.example' });
    expect(refused.message).toBe('forbidden');
    expect(refused.data).toEqual({ error: 'cross_origin' });
    const same = await connectSocket(url, { cookie: r.cookie, origin: url });
    expect(await serverIdentityOf(t.app, same)).toEqual(r.identity);
    same.close();
  });

  it('logging out disconnects the sockets of that session', async () => {
    const r = await signInResearcher(t);
    const socket = await connectSocket(url, { cookie: r.cookie });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: r.cookie } });
    expect(await disconnected).toBe('io server disconnect');
    await expect(
      connectSocket(url, { cookie: r.cookie }).then((s) => serverIdentityOf(t.app, s).finally(() => s.close())),
    ).resolves.toBeNull();
  });
});
