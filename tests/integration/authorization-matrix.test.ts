import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { type Ack } from '../../shared/protocol/acks.ts';
import { isErrorCode } from '../../shared/errors.ts';
import { CLIENT_EVENT_NAMES } from '../../shared/protocol/events.ts';
import { SESSION_COOKIE } from '../../server/services/auth/sessions.ts';
import {
  connectSocket,
  joinAs,
  joinViaHttp,
  loginViaHttp,
  mintSessionCookie,
  signInResearcher,
} from '../support/auth-helpers.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { grantStudyRole } from '../support/study-roles.ts';
import { routesOf } from '../support/blind-scan.ts';
import { studyWithRecords } from '../support/study-work-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Who may call what. Every route and every socket event must appear here: a new one that is not classified fails the
 * test, so nobody adds an endpoint without deciding who may use it. "Another study's participant" (otherActor,
 * otherRater) is an actor and a rater who joined a second study: their role opens the same doors as in their own
 * study, and never a door into this one (tests/integration/authorization-episodes.test.ts checks the episodes).
 * Researchers have a role per study (shared/schemas/study-access.ts): owner, collaborator and viewer of study A, and
 * otherResearcher, who owns study B and has no role in A.
 */
type Researcher = 'owner' | 'collaborator' | 'viewer' | 'otherResearcher';
type Who = 'nobody' | Researcher | 'actor' | 'rater' | 'otherActor' | 'otherRater';
const RESEARCHERS: Researcher[] = ['owner', 'collaborator', 'viewer', 'otherResearcher'];
const EVERYONE: Who[] = ['nobody', ...RESEARCHERS, 'actor', 'rater', 'otherActor', 'otherRater'];
const ACTORS: Who[] = ['actor', 'otherActor'];
const RATERS: Who[] = ['rater', 'otherRater'];

/**
 * 'researcher': any researcher (not about one study: models, personas, prompt packs, creating a study, the list of
 * one's own studies). 'view' / 'work' / 'manage': the access the route needs in the study it is about.
 */
type Policy = 'public' | 'participant' | 'researcher' | 'view' | 'work' | 'manage';
const STUDY_POLICIES: readonly Policy[] = ['view', 'work', 'manage'];
const ALLOWED: Record<Policy, Who[]> = {
  public: EVERYONE,
  participant: [...ACTORS, ...RATERS],
  researcher: RESEARCHERS,
  view: ['owner', 'collaborator', 'viewer'],
  work: ['owner', 'collaborator'],
  manage: ['owner'],
};

/**
 * What a refused caller hears: 401 without a session, 403 for a participant or a member whose role is too small, and
 * 404 for a researcher with no role in the study (it is not revealed to exist).
 */
function refusalStatus(policy: Policy, who: Who): number {
  if (who === 'nobody') return 401;
  if (who === 'otherResearcher' && STUDY_POLICIES.includes(policy)) return 404;
  return 403;
}

/**
 * The declared policy of every route (METHOD path). A route the app serves without an entry here, or an entry for a
 * route it no longer serves, fails the matrix. Public routes still validate their input.
 */
const ROUTE_POLICY: Record<string, Policy> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/auth/setup': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'public',
  'POST /api/join/:code': 'public',
  'GET /api/participant/study': 'participant',
  'GET /api/participant/journey': 'participant',
  'POST /api/participant/screening': 'participant',
  'POST /api/participant/consent': 'participant',
  'GET /api/studies/:studyId/consent-versions': 'view',
  'POST /api/participant/withdraw': 'participant',
  'GET /api/studies': 'researcher',
  'POST /api/studies': 'researcher',
  'GET /api/studies/:studyId/problem-ids': 'view',
  'POST /api/studies/import': 'researcher',
  'GET /api/studies/:studyId/records': 'view',
  'GET /api/studies/:studyId/records/:problemId': 'view',
  'GET /api/studies/:studyId/results': 'view',
  'POST /api/studies/:studyId/rating-candidates': 'work',
  'POST /api/studies/:studyId/rating-candidates/withdraw': 'work',
  'POST /api/studies/:studyId/runs': 'work',
  'GET /api/studies/:studyId/runs': 'view',
  'GET /api/studies/:studyId/settings': 'view',
  'PUT /api/studies/:studyId/settings': 'work',
  'POST /api/studies/:studyId/open': 'work',
  'POST /api/studies/:studyId/pause': 'work',
  'POST /api/studies/:studyId/close': 'work',
  'POST /api/studies/:studyId/gold-items': 'work',
  'GET /api/studies/:studyId/assignments': 'work',
  'GET /api/studies/:studyId/agreement': 'view',
  'GET /api/studies/:studyId/agreement/:file': 'view',
  'GET /api/studies/:studyId/invites': 'work',
  'POST /api/studies/:studyId/invites': 'work',
  'DELETE /api/studies/:studyId/invites/:code': 'work',
  'POST /api/studies/:studyId/participants/delete': 'manage',
  'PATCH /api/studies/:studyId/invites/:code': 'work',
  'GET /api/studies/:studyId/live-episodes': 'work',
  'GET /api/studies/:studyId/live-health': 'work',
  'GET /api/studies/:studyId/preview/:role': 'work',
  'GET /api/studies/:studyId/live-units': 'work',
  'POST /api/studies/:studyId/episodes/:episodeId/end': 'work',
  'POST /api/studies/:studyId/assignments/:assignmentId/release': 'work',
  'GET /api/studies/:studyId/export/:file': 'view',
  'GET /api/personas': 'researcher',
  'GET /api/personas/:personaId': 'researcher',
  'GET /api/runs/:runId': 'view',
  'GET /api/runs/:runId/episodes': 'view',
  'POST /api/runs/:runId/cancel': 'work',
  'GET /api/runs/:runId/results.jsonl': 'view',
  'GET /api/episodes/:episodeId': 'view',
  'GET /api/models': 'researcher',
  'GET /api/prompt-packs': 'researcher',
  'GET /api/studies/:studyId/members': 'view',
  'POST /api/studies/:studyId/members': 'manage',
  'PUT /api/studies/:studyId/members/:researcherId': 'manage',
  'DELETE /api/studies/:studyId/members/:researcherId': 'manage',
  'GET /api/studies/:studyId/audit': 'manage',
};

const EVENT_ACCESS: Record<(typeof CLIENT_EVENT_NAMES)[number], Who[]> = {
  'study:list': RESEARCHERS,
  'play:start': ACTORS,
  'episode:reply': ACTORS,
  'episode:resync': ACTORS,
  'episode:tag': ACTORS,
  'episode:rate': ACTORS,
  'episode:watch': ALLOWED.work,
  'rating:next': RATERS,
  'rating:submit': RATERS,
  'rating:skip': RATERS,
  'rating:revise': RATERS,
  'rating:flag': RATERS,
  'rating:progress': RATERS,
  'session:claim': [...ACTORS, ...RATERS],
};
/** Events about one study's data: a researcher with no role in it hears not_found, as from its routes. */
const STUDY_EVENTS: readonly string[] = ['episode:watch'];

/** A valid-looking payload per event, so a refusal can only come from who is asking. */
const SAMPLE_PAYLOAD: Record<(typeof CLIENT_EVENT_NAMES)[number], unknown> = {
  'study:list': {},
  'play:start': {},
  'episode:reply': { episodeId: 'e-1', clientMessageId: 'c-1', text: 'hello' },
  'episode:resync': { episodeId: 'e-1', afterSeq: -1 },
  'episode:tag': { episodeId: 'e-1', turn: 0, tag: 'relevant' },
  'episode:rate': { episodeId: 'e-1', scores: {}, correct: 1, secondsSpent: 1 },
  // A live episode of study A (made in beforeAll), so the refusal comes from the role and not from a missing episode.
  'episode:watch': { episodeId: 'live-matrix' },
  'rating:next': {},
  'rating:submit': { itemId: 'i-1', scores: {}, correct: 1, secondsSpent: 1 },
  'rating:skip': { itemId: 'i-1', reason: 'other', secondsSpent: 1 },
  'rating:revise': { itemId: 'i-1', reason: 'other', secondsSpent: 1 },
  'rating:flag': { itemId: 'i-1', kind: 'broken' },
  'rating:progress': {},
  'session:claim': { tabId: 'tab-1', takeOver: false },
};

const dir = tempDir();
let t: TestApp;
let url: string;
const cookies: Partial<Record<Who, string>> = {};
const researcherIds: Partial<Record<Researcher, string>> = {};
let studyAId = '';
const RUN = 'run-matrix';
const BATCH_EPISODE = 'batch-matrix';

/** Fresh sessions for everyone (signing out, which the matrix also calls, revokes them); the same accounts. */
async function signInEveryone(): Promise<void> {
  for (const who of RESEARCHERS) cookies[who] = await mintSessionCookie(t, 'researcher', researcherIds[who] ?? '');
  cookies.actor = (await joinAs(t, 'actor')).cookie;
  cookies.rater = (await joinAs(t, 'rater')).cookie;
  cookies.otherActor = (await joinAs(t, 'actor', { studyId: otherStudyId })).cookie;
  cookies.otherRater = (await joinAs(t, 'rater', { studyId: otherStudyId })).cookie;
}
let otherStudyId = '';

beforeAll(async () => {
  // One sign-in per caller and route is more than the default per-address limit of 10 a minute.
  t = await startTestApp(dir, { rateLimits: { loginPerMinute: 1000 } });
  studyAId = (await t.storage.listStudies())[0]?.id ?? '';
  // The install's first account owns the sample study (study A); study B is made after it, so nobody owns it yet.
  for (const who of RESEARCHERS) researcherIds[who] = (await signInResearcher(t)).researcherId;
  otherStudyId = (await studyWithRecords(t.storage, 'Another study', 1)).studyId;
  await grantStudyRole(t.storage, studyAId, researcherIds.collaborator ?? '', 'collaborator');
  await grantStudyRole(t.storage, studyAId, researcherIds.viewer ?? '', 'viewer');
  await grantStudyRole(t.storage, otherStudyId, researcherIds.otherResearcher ?? '', 'owner');
  // A batch run with one episode, and a person's live episode, in study A: routes and events keyed by them.
  await t.storage.research.createStudyRun({
    id: RUN,
    studyId: studyAId,
    benchmarkSha256: 'matrix',
    outPath: `${dir}/run-matrix.jsonl`,
    options: {
      model: 'scripted',
      judge: 'scripted',
      simulator: 'scripted',
      modes: ['infer_persona'],
      userTypes: ['passive_nostop'],
      maxTurns: 5,
      fixedQuestions: null,
      maxProblems: null,
      seed: 1,
    },
  });
  await t.storage.saveEpisode(
    runningEpisodeSummary(BATCH_EPISODE, { runId: RUN, status: 'completed', endedAt: new Date().toISOString() }),
    [],
  );
  await t.storage.live.begin({
    summary: runningEpisodeSummary('live-matrix', { userSeat: 'person' }),
    studyId: studyAId,
    participantId: 'matrix-participant',
    assignmentId: null,
    spec: {},
  });
  await signInEveryone();
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t.close();
});

function headers(who: Who): Record<string, string> {
  return who === 'nobody' ? {} : { cookie: cookies[who] ?? '' };
}

/** Every Set-Cookie line for the session cookie the matrix saw, with the route that sent it. */
const sessionCookies: { key: string; line: string }[] = [];

describe("authorization matrix: every HTTP route × nobody / each study role / another study's owner / actor / rater / another study's actor and rater", () => {
  it('declares a policy for every route the app serves, and none for routes it does not', () => {
    const served = routesOf(t.app.printRoutes({ commonPrefix: false }))
      .filter((r) => r.path.startsWith('/api/'))
      .flatMap((r) => r.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').map((m) => `${m} ${r.path}`));
    expect(
      served.filter((key) => !ROUTE_POLICY[key]),
      'routes without a declared policy',
    ).toEqual([]);
    expect(
      Object.keys(ROUTE_POLICY).filter((key) => !served.includes(key)),
      'policies for routes that do not exist',
    ).toEqual([]);
  });

  it('refuses everyone the route is not for (401 for nobody, 403 for the wrong role, 404 outside the study) and lets the right people through', async () => {
    const routes = routesOf(t.app.printRoutes({ commonPrefix: false })).filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(20);
    const studyId = studyAId;
    // Routes keyed by a run or an episode get study A's, so the study guard has a study to decide by.
    const idFor = (path: string, name: string): string =>
      name === 'studyId'
        ? studyId
        : name === 'runId'
          ? RUN
          : name === 'episodeId' && path.startsWith('/api/episodes/')
            ? BATCH_EPISODE
            : 'x';
    const checked: string[] = [];
    for (const route of routes) {
      for (const method of route.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS')) {
        const key = `${method} ${route.path}`;
        const policy = ROUTE_POLICY[key];
        if (!policy) continue; // reported by the test above
        const allowed = ALLOWED[policy];
        const path = route.path.replace(/:(\w+)/g, (_, name: string) => idFor(route.path, name));
        for (const who of EVERYONE) {
          // Rate-limited public routes are exercised by their own tests; here one call each is enough.
          const res = await t.app.inject({
            method: method as 'GET',
            url: path,
            headers: { ...headers(who), 'content-type': 'application/json' },
            payload: method === 'GET' ? undefined : '{}',
          });
          if (allowed.includes(who)) {
            expect(
              [401, 403].includes(res.statusCode) && policy !== 'public',
              `${key} as ${who} → ${res.statusCode}`,
            ).toBe(false);
          } else {
            expect(res.statusCode, `${key} as ${who}`).toBe(refusalStatus(policy, who));
          }
          expect(res.statusCode, `${key} as ${who}: no server error`).toBeLessThan(500);
          for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
            if (line.startsWith(`${SESSION_COOKIE}=`)) sessionCookies.push({ key, line });
          }
          // Withdrawing deletes the participant: everyone gets a fresh one, as after signing out.
          if (key === 'POST /api/auth/logout' || key === 'POST /api/participant/withdraw') await signInEveryone();
        }
        checked.push(key);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/studies', 'GET /api/personas', 'POST /api/join/:code']));
  });

  it("a participant reads only their own study's page, never another study's", async () => {
    // Study B's settings (the matrix above closed study A, whose settings are now fixed).
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/studies/${otherStudyId}/settings`,
      headers: headers('otherResearcher'),
      payload: { models: ['scripted'], consentText: 'CONSENT-OF-STUDY-B' },
    });
    expect(put.statusCode).toBe(200);
    const own = await t.app.inject({ method: 'GET', url: '/api/participant/study', headers: headers('otherActor') });
    expect(own.json()).toMatchObject({ role: 'actor', consentText: 'CONSENT-OF-STUDY-B' });
    for (const who of ['actor', 'rater'] as Who[]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/participant/study', headers: headers(who) });
      expect(res.statusCode).toBe(200);
      expect(res.body, who).not.toContain('CONSENT-OF-STUDY-B');
    }
  });

  it('every session cookie any route sets is HttpOnly, SameSite=Lax, Path=/, and Secure exactly when configured', async () => {
    const secure = await startTestApp(dir, { secureCookies: true });
    try {
      for (const [app, isSecure] of [
        [t, false],
        [secure, true],
      ] as const) {
        const researcher = await signInResearcher(app);
        // Study B on the matrix's app: the matrix closed study A, which now rightly refuses joins.
        const studyId = isSecure ? ((await app.storage.listStudies())[0]?.id ?? '') : otherStudyId;
        if (!isSecure)
          expect(
            (
              await app.app.inject({
                method: 'POST',
                url: `/api/studies/${studyId}/open`,
                headers: headers('otherResearcher'),
              })
            ).statusCode,
          ).toBe(200);
        const code = (await app.storage.people.createInvite({ studyId, role: 'actor' })).code;
        const lines: { key: string; line: string | null }[] = [];
        const login = await loginViaHttp(app.app, researcher.username, researcher.password);
        lines.push({ key: 'POST /api/auth/login', line: login.setCookie });
        lines.push({
          key: 'POST /api/join/:code',
          line: (await joinViaHttp(app.app, code, { PROLIFIC_PID: `cookie-${isSecure}` })).setCookie,
        });
        const logout = await app.app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { cookie: login.cookie ?? '' },
        });
        lines.push({
          key: 'POST /api/auth/logout',
          line:
            ([] as string[])
              .concat(logout.headers['set-cookie'] ?? [])
              .find((l) => l.startsWith(`${SESSION_COOKIE}=`)) ?? null,
        });
        // And whatever the matrix above saw (plain http).
        if (!isSecure) lines.push(...sessionCookies);
        for (const { key, line } of lines) {
          expect(line, `${key} sets the session cookie`).not.toBeNull();
          const attributes = (line ?? '').split(';').map((a) => a.trim().toLowerCase());
          expect(attributes, `${key}: ${line}`).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
          expect(attributes.includes('secure'), `${key} Secure: ${line}`).toBe(isSecure);
        }
      }
    } finally {
      await secure.close();
    }
  });
});

describe("authorization matrix: every socket event × nobody / each study role / another study's owner / actor / rater / another study's actor and rater", () => {
  it('answers unauthenticated or forbidden to those an event is not for, and never crashes', async () => {
    const sockets: Partial<Record<Who, Socket>> = {};
    for (const who of EVERYONE) {
      sockets[who] = (await connectSocket(
        url,
        who === 'nobody' ? {} : { cookie: cookies[who] ?? '' },
      )) as unknown as Socket;
    }
    try {
      for (const event of CLIENT_EVENT_NAMES) {
        for (const who of EVERYONE) {
          const ack = (await sockets[who]?.timeout(5000).emitWithAck(event, SAMPLE_PAYLOAD[event])) as Ack<unknown>;
          if (EVENT_ACCESS[event].includes(who)) {
            expect(
              ack.ok || !['unauthenticated', 'forbidden'].includes(ack.error),
              `${event} as ${who}: ${JSON.stringify(ack)}`,
            ).toBe(true);
          } else {
            const refusal =
              who === 'nobody'
                ? 'unauthenticated'
                : who === 'otherResearcher' && STUDY_EVENTS.includes(event)
                  ? 'not_found'
                  : 'forbidden';
            expect(ack, `${event} as ${who}`).toMatchObject({ ok: false, error: refusal });
          }
        }
      }
    } finally {
      for (const s of Object.values(sockets)) s?.close();
    }
  });

  it('malformed payloads of every event get a closed error code and the server stays up', async () => {
    const garbage: unknown[] = [
      undefined,
      null,
      42,
      'text',
      [],
      { episodeId: { $ne: 1 } },
      { itemId: 'x'.repeat(10_000) },
      { a: { b: { c: { d: [1, { e: null }] } } } },
      { __proto__: { admin: true } },
    ];
    for (const who of EVERYONE.filter((w) => w !== 'nobody')) {
      const socket = (await connectSocket(url, { cookie: cookies[who] ?? '' })) as unknown as Socket;
      try {
        for (const event of CLIENT_EVENT_NAMES) {
          if (!EVENT_ACCESS[event].includes(who)) continue;
          for (const payload of garbage) {
            const ack = (await socket.timeout(5000).emitWithAck(event, payload)) as Ack<unknown>;
            if (!ack.ok)
              expect(isErrorCode(ack.error), `${event} ${JSON.stringify(payload)?.slice(0, 40)} ${ack.error}`).toBe(
                true,
              );
            else
              expect(
                ['study:list', 'play:start', 'rating:next', 'rating:progress'],
                `${event} accepted garbage ${JSON.stringify(payload)?.slice(0, 40)}`,
              ).toContain(event);
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

describe('a replaced session', () => {
  it('loses its open sockets when the browser joins or signs in again (as on logout): a revoked session acts no more', async () => {
    // A study of its own, never configured, so it takes participants whatever the tests above did to the others.
    const studyId = (await studyWithRecords(t.storage, 'Session study', 1)).studyId;
    const researcher = await signInResearcher(t);
    const replace = {
      join: async (cookie: string) =>
        joinViaHttp(t.app, (await t.storage.people.createInvite({ studyId, role: 'rater' })).code, {}, cookie),
      login: async (cookie: string) => loginViaHttp(t.app, researcher.username, researcher.password, cookie),
    };
    for (const [how, again] of Object.entries(replace)) {
      const first = await joinAs(t, 'actor', { studyId });
      const socket = (await connectSocket(url, { cookie: first.cookie })) as unknown as Socket;
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      try {
        expect(await socket.timeout(5000).emitWithAck('play:start', {})).toMatchObject({ ok: false, error: 'no_work' });
        expect((await again(first.cookie)).status, how).toBe(200);
        expect(
          await Promise.race([closed, new Promise((r) => setTimeout(() => r('still connected'), 2000))]),
          how,
        ).toBe('io server disconnect');
      } finally {
        socket.close();
      }
    }
  });
});
