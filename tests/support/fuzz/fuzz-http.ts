import { request as httpRequest } from 'node:http';
import { routesOf } from '../blind-scan.ts';
import { baseBenchmarkLines, mutateBenchmarkFile } from './fuzz-benchmark-files.ts';
import { caseRef, Fuzz } from './fuzz-random.ts';
import type { FailureKind, FuzzFailure, FuzzRun } from './fuzz-report.ts';
import { FUZZ_ROLES, type FuzzIds, type FuzzRole, type FuzzTarget } from './fuzz-target.ts';

/**
 * What a valid request to each route looks like, keyed `METHOD /path`. Every route the app registers must be here
 * (`uncoveredRoutes` fails the fuzz test otherwise), so a new route is fuzzed from the day it is added.
 */
interface RouteSpec {
  query?: (ids: FuzzIds) => Record<string, string>;
  body?: (ids: FuzzIds) => unknown;
  /** The body is a benchmark file (POST /api/studies/import). */
  file?: true;
  /** Values for path parameters other than the usual ids. */
  params?: Record<string, string>;
  /** The route signs in, out or replaces the caller's session: mint the role a new one afterwards. */
  session?: true;
}

const ANY_ID = 'no-such-id';
const BUSY = { model: 'scripted', judge: 'scripted', modes: ['no_prompt'], maxProblems: 1, concurrency: 1 };

export const HTTP_ROUTE_SPECS: Record<string, RouteSpec> = {
  'GET /api/health': {},
  'GET /api/openapi.json': {},
  'GET /api/auth/setup': {},
  'POST /api/auth/setup': { body: () => ({ username: 'fuzz-admin', password: 'fuzz-password-1' }), session: true },
  'POST /api/auth/login': {
    body: (ids) => ({ username: ids.researcherUsername, password: ids.researcherPassword }),
    session: true,
  },
  'POST /api/auth/logout': { session: true },
  'GET /api/auth/me': {},
  'POST /api/join/:code': {
    body: () => ({ PROLIFIC_PID: 'fuzz-pid-1', STUDY_ID: 's', SESSION_ID: 'x' }),
    session: true,
  },
  'GET /api/studies': {},
  'POST /api/studies': { body: () => ({ name: 'Fuzz created', description: 'made by the fuzzer' }) },
  'GET /api/studies/:studyId/problem-ids': { query: () => ({ q: 'a', limit: '5' }) },
  'POST /api/studies/import': {
    query: () => ({ study: 'Fuzz upload', skipImages: '1', filename: 'fuzz.jsonl' }),
    file: true,
  },
  'GET /api/studies/:studyId/records': { query: () => ({ offset: '0', limit: '5' }) },
  'GET /api/studies/:studyId/records/:problemId': {},
  'GET /api/studies/:studyId/results': { query: () => ({ resamples: '20', seed: '1' }) },
  'POST /api/studies/:studyId/rating-candidates': { body: (ids) => ({ episodeIds: [ids.episodeId] }) },
  // An id that names no answer, so the fuzz never takes the rater's item out of the queue for later cases.
  'POST /api/studies/:studyId/rating-candidates/withdraw': { body: () => ({ itemIds: ['AAAAAAAAAAAAAAAA'] }) },
  'POST /api/studies/:studyId/runs': { body: () => BUSY },
  'GET /api/studies/:studyId/runs': {},
  'GET /api/studies/:studyId/settings': {},
  'PUT /api/studies/:studyId/settings': {
    body: () => ({ models: ['scripted'], raterOverlap: 50, quotas: { ratingsPerRater: 100_000 } }),
  },
  'POST /api/studies/:studyId/open': {},
  'POST /api/studies/:studyId/pause': {},
  'POST /api/studies/:studyId/close': {},
  'POST /api/studies/:studyId/gold-items': {
    body: (ids) => ({
      items: [
        {
          problemId: ids.problemId,
          answer: 'fuzz',
          expectedScores: Object.fromEntries(ids.criteria.map((c) => [c, 2])),
        },
      ],
    }),
  },
  'GET /api/studies/:studyId/assignments': {},
  'GET /api/studies/:studyId/agreement': { query: () => ({ resamples: '20', epsilon: '0.1', seed: '3' }) },
  'GET /api/studies/:studyId/agreement/:file': { query: () => ({ resamples: '20' }), params: { file: 'outcomes.csv' } },
  'GET /api/studies/:studyId/invites': {},
  'POST /api/studies/:studyId/invites': { body: () => ({ role: 'rater' }) },
  // A code that is not the one the fuzz joins with, so deleting it does not close the join route for later cases.
  'DELETE /api/studies/:studyId/invites/:code': { params: { code: 'AAAAAAAAAAAAAAAAAAAAAA' } },
  // A Prolific id nobody joined with, so the fuzz deletes none of its participants.
  'POST /api/studies/:studyId/participants/delete': { body: () => ({ prolificId: 'fuzz-no-such-pid' }) },
  // The same unknown code: a fuzzed cap or expiry must not close the link the fuzz joins with.
  'PATCH /api/studies/:studyId/invites/:code': {
    params: { code: 'AAAAAAAAAAAAAAAAAAAAAA' },
    body: () => ({ label: 'fuzz', maxParticipants: 5, expiresAt: null }),
  },
  'GET /api/studies/:studyId/live-episodes': { query: () => ({ status: 'running' }) },
  'GET /api/studies/:studyId/live-health': {},
  'GET /api/studies/:studyId/preview/:role': { params: { role: 'rater' } },
  'GET /api/studies/:studyId/live-units': {},
  'POST /api/studies/:studyId/episodes/:episodeId/end': { body: () => ({ reason: 'fuzz' }) },
  'POST /api/studies/:studyId/assignments/:assignmentId/release': { body: () => ({ reason: 'fuzz' }) },
  'GET /api/studies/:studyId/export/:file': { params: { file: 'messages.csv' } },
  'GET /api/personas': {},
  'GET /api/personas/:personaId': {},
  'GET /api/participant/study': {},
  'GET /api/participant/journey': {},
  // 'yes', so the fuzz participant is not screened out of the routes fuzzed after this one.
  'POST /api/participant/screening': { body: () => ({ answer: 'yes' }) },
  // The fuzz participants agreed when they joined (joinAs), so agreeing again is accepted whatever hash is sent.
  'POST /api/participant/consent': { body: () => ({ agreed: true, sha256: '0'.repeat(64) }) },
  'GET /api/studies/:studyId/consent-versions': {},
  // Deletes the caller's participant and session; the fuzz target joins the role again afterwards.
  'POST /api/participant/withdraw': { session: true },
  'GET /api/runs/:runId': {},
  'GET /api/runs/:runId/episodes': { query: () => ({ offset: '0', limit: '10' }) },
  'POST /api/runs/:runId/cancel': {},
  'GET /api/runs/:runId/results.jsonl': {},
  'GET /api/episodes/:episodeId': {},
  'GET /api/models': {},
  'GET /api/prompt-packs': {},
  'GET /api/studies/:studyId/members': {},
  // A username no account has, and a researcher id nobody is (no-such-id): the fuzz never changes who has access.
  'POST /api/studies/:studyId/members': { body: () => ({ username: 'fuzz-no-such-user', role: 'viewer' }) },
  'PUT /api/studies/:studyId/members/:researcherId': { body: () => ({ role: 'viewer' }) },
  'DELETE /api/studies/:studyId/members/:researcherId': {},
  'GET /api/studies/:studyId/audit': { query: () => ({ offset: '0', limit: '10' }) },
};

/** Every method and path the app serves under /api (HEAD and OPTIONS answer for GET and the CORS layer). */
export function appRoutes(target: Pick<FuzzTarget, 'app'>): string[] {
  return routesOf(target.app.printRoutes({ commonPrefix: false }))
    .filter((r) => r.path.startsWith('/api/'))
    .flatMap((r) => r.methods.filter((m) => m !== 'HEAD' && m !== 'OPTIONS').map((m) => `${m} ${r.path}`));
}

/** Routes the app serves that have no fuzz spec, and specs for routes it no longer serves. */
export function uncoveredRoutes(target: Pick<FuzzTarget, 'app'>): { unfuzzed: string[]; stale: string[] } {
  const routes = appRoutes(target);
  return {
    unfuzzed: routes.filter((r) => !HTTP_ROUTE_SPECS[r]),
    stale: Object.keys(HTTP_ROUTE_SPECS).filter((r) => !routes.includes(r)),
  };
}

export interface HttpCase {
  index: number;
  route: string;
  role: FuzzRole;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  label: string;
}

function paramValue(name: string, spec: RouteSpec, ids: FuzzIds): string {
  if (spec.params?.[name]) return spec.params[name];
  const known: Record<string, string> = {
    studyId: ids.studyId,
    problemId: ids.problemId,
    personaId: ids.personaId,
    episodeId: ids.episodeId,
    code: ids.inviteCode,
    runId: ANY_ID,
  };
  return known[name] ?? ANY_ID;
}

/** Percent-encodes every byte of the UTF-8 text (a lone surrogate becomes U+FFFD, as any client would send it). */
function pct(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Percent-encodes what Node's client refuses to send raw (outside 0x21–0x7e), keeping `%` so bad escapes get through. */
function rawPathPart(text: string): string {
  return [...text].map((ch) => (/^[\x21-\x7e]$/.test(ch) ? ch : pct(ch))).join('');
}

function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v])
      parts.push(`${pct(k)}=${pct(typeof one === 'string' ? one : (JSON.stringify(one) ?? ''))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

const JSON_TYPE = 'application/json';
const FILE_TYPE = 'application/x-ndjson';

/** Bodies no serializer would produce: broken JSON, raw bytes, invalid UTF-8, absurd nesting and numbers. */
function rawBody(fz: Fuzz, valid: string): { body: Buffer; label: string } {
  const pick = fz.int(11);
  switch (pick) {
    case 0:
      return { body: Buffer.from(valid.slice(0, fz.int(valid.length))), label: 'truncated JSON' };
    case 1:
      return { body: Buffer.from(Array.from({ length: 1 + fz.int(300) }, () => fz.int(256))), label: 'random bytes' };
    case 2:
      return {
        body: Buffer.concat([
          Buffer.from(valid.slice(0, 5)),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
          Buffer.from(valid.slice(5)),
        ]),
        label: 'invalid UTF-8 inside JSON',
      };
    case 3:
      return { body: Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), label: 'nesting 100,000 deep' };
    case 4:
      return {
        body: Buffer.from(
          fz.pick([
            'NaN',
            'Infinity',
            '-0',
            '1e999',
            '{"a":NaN}',
            '{"a":1e999}',
            '{"a":-Infinity}',
            '99999999999999999999999999',
          ]),
        ),
        label: 'NaN-like number tokens',
      };
    case 5:
      return {
        body: Buffer.from(
          fz.pick([
            '{"__proto__":{"isAdmin":true}}',
            '{"constructor":{"prototype":{"isAdmin":true}}}',
            `{"a":1,"a":2,"__proto__":null}`,
          ]),
        ),
        label: 'prototype keys in raw JSON',
      };
    case 6:
      return { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]), label: 'BOM before JSON' };
    case 7:
      return { body: Buffer.from(valid, 'utf16le'), label: 'UTF-16 JSON' };
    case 8:
      return { body: Buffer.alloc(0), label: 'empty body' };
    case 9:
      return { body: Buffer.from(`{"a":"${'x'.repeat(fz.pick([1000, 2_000_000]))}"}`), label: 'huge string in JSON' };
    default:
      return {
        body: Buffer.from(`${valid}${fz.pick(['}', ',', ' garbage', '\u0000', '\n{"b":1}'])}`),
        label: 'trailing garbage',
      };
  }
}

/** One seeded case: route by round robin (every route gets cases), role and mutation drawn from the case's seed. */
export function httpCase(
  seed: number,
  index: number,
  target: Pick<FuzzTarget, 'ids' | 'cookie'>,
  routes: readonly string[],
  bodyLimit: number,
): HttpCase {
  const fz = new Fuzz(seed, index);
  const route = routes[index % routes.length] ?? 'GET /api/health';
  const [method = 'GET', template = '/'] = route.split(' ');
  const spec = HTTP_ROUTE_SPECS[route] ?? {};
  const ids = target.ids;
  // Researchers reach the most code (most routes are theirs); every other role still gets a fair share.
  const role = fz.weighted<FuzzRole>([
    [5, 'researcher'],
    ...FUZZ_ROLES.filter((r) => r !== 'researcher').map((r) => [1, r] as const),
  ]);
  const params: Record<string, string> = {};
  for (const [, name] of template.matchAll(/:(\w+)/g)) params[name ?? ''] = paramValue(name ?? '', spec, ids);
  let query: Record<string, unknown> = spec.query?.(ids) ?? {};
  let rawQuery: string | null = null;
  const headers: Record<string, string> = {};
  const cookie = target.cookie(role);
  if (cookie) headers.cookie = cookie;
  const validJson = spec.file ? null : JSON.stringify(spec.body?.(ids) ?? {});
  let body: Buffer | null = spec.file
    ? Buffer.from(`${baseBenchmarkLines().join('\n')}\n`)
    : method === 'GET' || method === 'DELETE'
      ? null
      : Buffer.from(validJson ?? '{}');
  let contentType: string | null = body === null ? null : spec.file ? FILE_TYPE : JSON_TYPE;
  let label: string;

  const family = fz.weighted([
    [8, 'valid'],
    [25, 'body'],
    [12, 'raw'],
    [10, 'type'],
    [15, 'param'],
    [12, 'query'],
    [7, 'header'],
    [1, 'oversized'],
  ] as const);
  switch (family) {
    case 'valid':
      label = 'valid';
      break;
    case 'body': {
      if (spec.file) {
        const m = mutateBenchmarkFile(fz);
        body = m.bytes;
        label = `file: ${m.label}`;
      } else {
        const m = fz.mutate(spec.body?.(ids) ?? {});
        body = m.value === undefined ? null : Buffer.from(JSON.stringify(m.value) ?? 'null');
        contentType = body === null ? null : JSON_TYPE;
        label = `body: ${m.label}`;
      }
      break;
    }
    case 'raw': {
      const m = rawBody(fz, validJson ?? baseBenchmarkLines()[1] ?? '{}');
      body = m.body;
      contentType ??= JSON_TYPE;
      label = `raw body: ${m.label}`;
      break;
    }
    case 'type': {
      contentType = fz.pick([
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/x-ndjson',
        'application/jsonl',
        ';;;',
        'application/*',
        'APPLICATION/JSON',
        'text/plain; charset=utf-8',
        'application/octet-stream',
      ]);
      body ??= Buffer.from(validJson ?? '{}');
      label = `content type ${JSON.stringify(contentType)}`;
      break;
    }
    case 'param': {
      const names = Object.keys(params);
      const name = names.length > 0 ? fz.pick(names) : null;
      const value = fz.chance(0.5)
        ? fz.nastyString()
        : fz.chance(0.3)
          ? 'x'.repeat(fz.pick([101, 201, 501, 4000]))
          : fz.randomString(1 + fz.int(30));
      if (name) params[name] = value;
      label = name ? `param ${name}=${JSON.stringify(value).slice(0, 40)}` : 'valid (no params)';
      break;
    }
    case 'query': {
      const m = fz.mutate(query);
      query = (
        m.value !== null && typeof m.value === 'object' && !Array.isArray(m.value) ? m.value : { q: m.value }
      ) as Record<string, unknown>;
      if (fz.chance(0.2))
        rawQuery = fz.pick([
          '?%ZZ=1',
          '?a=%E0%A4%A',
          '?&&&=&',
          `?${'a=1&'.repeat(2000)}`,
          '?limit=1&limit=2',
          '?offset=-1&limit=1e9',
          '?resamples=10000000',
          '?__proto__[x]=1',
          '?constructor[prototype][x]=1',
        ]);
      label = `query: ${rawQuery ?? m.label}`;
      break;
    }
    case 'header': {
      const tamper = fz.int(6);
      if (tamper === 0) headers.cookie = `pd_session=${fz.randomString(20)}`;
      else if (tamper === 1)
        headers.cookie = (cookie ?? 'pd_session=abc.def').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      else if (tamper === 2) headers.cookie = `pd_session=${'x'.repeat(4000)}; pd_session=y`;
      else if (tamper === 3)
        headers.origin = fz.pick(['https://evil.example', 'null', 'http://127.0.0.1.evil.example']);
      else if (tamper === 4)
        headers.cookie = `${cookie ?? ''}; ${fz.nastyString()}=${fz.nastyString()}`.replace(/[^\x20-\x7e]/g, '');
      else headers['x-forwarded-for'] = fz.randomString(10).replace(/[^\x21-\x7e]/g, '');
      label = `headers tampered (${tamper})`;
      break;
    }
    default: {
      body = Buffer.alloc(bodyLimit + 1024, 0x20);
      body.write('{"a":"', 0);
      contentType ??= JSON_TYPE;
      label = `oversized body ${body.length} bytes`;
    }
  }
  if (contentType !== null) headers['content-type'] = contentType;
  // Header values are bytes on the wire; Node's client (like any browser) refuses control and non-Latin characters.
  for (const [k, v] of Object.entries(headers)) headers[k] = v.replace(/[^\x20-\x7e]/g, '');
  const path = template.replace(/:(\w+)/g, (_, name: string) => rawPathPart(params[name] ?? ''));
  return { index, route, role, method, path: `${path}${rawQuery ?? queryString(query)}`, headers, body, label };
}

interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
}

// A new connection per case (no keep-alive): a server closing a connection after an error answer is its right, and a
// reused half-closed socket would otherwise look like a crash.
function send(url: string, c: HttpCase, timeoutMs: number): Promise<HttpAnswer | { error: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: hostname, port, method: c.method, path: c.path, headers: c.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (e) => resolve({ error: `response broke off: ${e.message}` }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ error: `no answer within ${timeoutMs} ms` });
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(c.body ?? undefined);
  });
}

/** A 4xx/5xx body must be the app's JSON error shape: an object with a string `error`. */
function errorShapeProblem(answer: HttpAnswer): string | null {
  if (!answer.contentType.includes('application/json')) return `content type ${answer.contentType || 'none'}`;
  try {
    const body = JSON.parse(answer.text) as { error?: unknown };
    return body !== null && typeof body === 'object' && typeof body.error === 'string'
      ? null
      : `body ${answer.text.slice(0, 120)}`;
  } catch {
    return `not JSON: ${answer.text.slice(0, 120)}`;
  }
}

/** Waits for background work an accepted request may have started (batch runs, live turns), then for a quiet database. */
export async function quiesce(target: FuzzTarget): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const runs = await target.app.batchRuns.list(target.ids.studyId);
    if (!runs.some((r) => r.status === 'running')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await target.db.settle(100);
}

/**
 * Runs `cases` seeded HTTP cases against the target over real loopback HTTP and checks each answer: within the time
 * bound, never 5xx, errors in the app's JSON shape, and a refused request leaves the database untouched.
 */
export async function fuzzHttp(
  target: FuzzTarget,
  options: { seed: number; cases: number; first?: number; timeoutMs?: number; bodyLimit?: number },
): Promise<FuzzRun> {
  const routes = appRoutes(target);
  const failures: FuzzFailure[] = [];
  const outcomes: Record<string, number> = {};
  const timeoutMs = options.timeoutMs ?? 15_000;
  const first = options.first ?? 0;
  const started = Date.now();
  let before = target.db.snapshot();
  for (let index = first; index < first + options.cases; index++) {
    const c = httpCase(options.seed, index, target, routes, options.bodyLimit ?? 10 * 1024 * 1024);
    const fail = (kind: FailureKind, reason: string): void =>
      void failures.push({
        seed: options.seed,
        index,
        kind,
        what: `${c.method} ${c.path.slice(0, 120)} as ${c.role} (${c.label})`,
        reason: `${reason} [${caseRef(options.seed, index)}]`,
      });
    // A refused import has written and deleted its chunks (import-benchmark-queries.ts): compare contents instead.
    const contents = c.route === 'POST /api/studies/import' ? target.db.digest() : null;
    const answer = await send(target.url, c, timeoutMs);
    if ('error' in answer) {
      // An oversized body may be answered (413) and the connection closed while the client is still writing.
      if (!(c.label.startsWith('oversized') && /EPIPE|ECONNRESET|socket hang up/.test(answer.error)))
        fail('crash', answer.error);
    } else {
      outcomes[String(answer.status)] = (outcomes[String(answer.status)] ?? 0) + 1;
      if (answer.status >= 500) fail('undefined', `${answer.status} ${answer.text.slice(0, 200)}`);
      if (answer.status >= 400) {
        const problem = errorShapeProblem(answer);
        if (problem) fail('undefined', `${answer.status} without the JSON error shape: ${problem}`);
        // A refused sign-in is recorded on purpose: the per-account lockout counts failures (docs/security.md).
        const recordsRefusal = c.route === 'POST /api/auth/login' && (answer.status === 401 || answer.status === 429);
        const changed =
          contents !== null && answer.status === 409
            ? target.db.digest() !== contents
            : target.db.version() !== before.version;
        if (!recordsRefusal && changed)
          fail(
            'partial',
            `refused with ${answer.status} but the database changed: ${target.db.changedTables(before).join(', ') || 'rows rewritten'}`,
          );
      }
    }
    if ('error' in answer || target.db.version() !== before.version) {
      // Only a batch run keeps writing after its answer; other accepted writes are done when answered.
      if ('error' in answer || c.route === 'POST /api/studies/:studyId/runs') await quiesce(target);
      else await target.db.settle(30);
    }
    if (HTTP_ROUTE_SPECS[c.route]?.session) await target.refresh(c.role);
    if (target.db.version() !== before.version) before = target.db.snapshot();
  }
  return { cases: options.cases, failures, outcomes, ms: Date.now() - started };
}
