import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { buildLargeAgreementStudy } from '../support/large-agreement-study.ts';
import { ADMIN, signInAsAdmin } from '../support/researcher-http.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Agreement reports on a real server process, where they are computed on the report pool's thread: a report that takes
 * around a second of CPU leaves /api/health answering within milliseconds all along (computed on the event loop, every
 * health request in that time would wait for it), and its bytes are those the in-process computation answers.
 *
 * The report's length depends on the machine (1.2 s here, 0.9 s on a faster CI machine with 400 items), so the checks
 * compare health latency with the report's own time rather than with a fixed number of seconds.
 */
const dir = tempDir('prefdisco-agreement-pool-');
const file = join(dir, 'agreement.sqlite');
const ITEMS = 1000;
const HEAVY = '?resamples=10000&seed=7&epsilon=0.15';

let server: ServedApp;
let cookie: string;
let studyId: string;
/** The in-process app's answers (no database file given: computed on its own thread), before the server started. */
const inProcess = { json: '', csv: '', ms: 0 };

/** The report's bytes with its one varying field, the time it was made, fixed. */
const sameTime = (json: string): string => json.replace(/"generatedAt":"[^"]+"/, '"generatedAt":"T"');

beforeAll(async () => {
  const storage = SqliteStorage.open({ file });
  const app = await buildApp({ config: { clientDir: join(dir, 'no-client') }, storage, isDeclaredModel: () => true });
  try {
    const t = { app, storage };
    studyId = await buildLargeAgreementStudy(t, dir, ITEMS);
    const researcher = await signInResearcher(t, ADMIN);
    const url = `/api/studies/${studyId}/agreement`;
    const started = performance.now();
    const json = await app.inject({ method: 'GET', url: `${url}${HEAVY}`, headers: { cookie: researcher.cookie } });
    inProcess.ms = performance.now() - started;
    expect(json.statusCode).toBe(200);
    inProcess.json = json.body;
    const csv = await app.inject({
      method: 'GET',
      url: `${url}/judge_vs_humans.csv${HEAVY}`,
      headers: { cookie: researcher.cookie },
    });
    expect(csv.statusCode).toBe(200);
    inProcess.csv = csv.body;
  } finally {
    await app.close();
    await storage.close();
  }
  server = await serveProcess({
    PREFDISCO_DB: file,
    PREFDISCO_RUNS_DIR: join(dir, 'runs'),
    PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
  });
  cookie = await signInAsAdmin(server.url);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** GETs `path` while polling /api/health one request after another; the health latencies, sorted. */
async function healthWhile(path: string): Promise<{ res: Response; body: string; ms: number; health: number[] }> {
  let done = false;
  const started = performance.now();
  const report = fetch(`${server.url}${path}`, { headers: { cookie } }).then(async (res) => {
    const body = await res.text();
    done = true;
    return { res, body, ms: performance.now() - started };
  });
  const health: number[] = [];
  while (!done) {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/health`);
    await res.arrayBuffer();
    health.push(performance.now() - t);
    expect(res.status).toBe(200);
  }
  return { ...(await report), health: health.sort((a, b) => a - b) };
}

const p99 = (sorted: number[]): number => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;

describe('agreement reports off the live loop', () => {
  it('the report takes over half a second of CPU (else this test shows nothing)', () => {
    expect(inProcess.ms).toBeGreaterThan(500);
  });

  it('while a report is computed, /api/health answers at once; the report is the in-process one', async () => {
    // The first report also starts the pool's thread.
    const first = await healthWhile(`/api/studies/${studyId}/agreement${HEAVY}`);
    expect(first.res.status).toBe(200);
    expect(sameTime(first.body)).toBe(sameTime(inProcess.json));

    // The thread is warm now: this one is the computation alone.
    const second = await healthWhile(`/api/studies/${studyId}/agreement${HEAVY}`);
    expect(second.res.status).toBe(200);
    expect(sameTime(second.body)).toBe(sameTime(inProcess.json));
    // The loop answered throughout: many health answers, none near the report's own time.
    expect(second.ms).toBeGreaterThan(500);
    expect(second.health.length).toBeGreaterThan(20);
    expect(p99(second.health)).toBeLessThan(Math.min(300, second.ms / 4));
    expect(p99(first.health)).toBeLessThan(300);
  }, 60_000);

  it('a table download is the in-process one, byte for byte', async () => {
    const csv = await healthWhile(`/api/studies/${studyId}/agreement/judge_vs_humans.csv${HEAVY}`);
    expect(csv.res.status).toBe(200);
    expect(csv.res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.body).toBe(inProcess.csv);
    expect(p99(csv.health)).toBeLessThan(300);
  }, 60_000);

  it('refusals keep their status and body: no such study, a bad query', async () => {
    const missing = await fetch(`${server.url}/api/studies/nope/agreement`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no such study' });
    const bad = await fetch(`${server.url}/api/studies/${studyId}/agreement?resamples=0`, { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_payload');
  });

  it('the server stops at once with the pool thread idle or busy', async () => {
    const pending = fetch(`${server.url}/api/studies/${studyId}/agreement${HEAVY}`, { headers: { cookie } }).catch(
      () => null,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    expect(await server.stop()).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
    await pending;
  }, 30_000);
});
