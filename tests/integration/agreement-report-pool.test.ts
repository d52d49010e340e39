import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { buildApp } from '../../server/app.ts';
import { agreementReportPool } from '../../server/services/agreement/report-pool.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { buildLargeAgreementStudy } from '../support/large-agreement-study.ts';
import { captureLog } from '../support/capture-log.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * The report pool in an app: given its database file, the app computes reports on a piscina thread with its own
 * connection, and answers exactly what the app without one (computing on its own thread) answers: the report, its
 * tables, and its refusals. A thread that cannot open the database is a server fault (500), never a crash.
 */
const dir = tempDir('prefdisco-report-pool-');
const file = join(dir, 'pool.sqlite');
const SETTINGS = '?resamples=300&seed=3';
let storage: SqliteStorage;
let pooled: Awaited<ReturnType<typeof buildApp>>;
let local: Awaited<ReturnType<typeof buildApp>>;
let cookie: string;
let studyId: string;

const sameTime = (json: string): string => json.replace(/"generatedAt":"[^"]+"/, '"generatedAt":"T"');

beforeAll(async () => {
  storage = SqliteStorage.open({ file });
  const clientDir = join(dir, 'no-client');
  local = await buildApp({ config: { clientDir }, storage, isDeclaredModel: () => true });
  pooled = await buildApp({
    config: { clientDir, database: { kind: 'sqlite', file } },
    storage,
    isDeclaredModel: () => true,
  });
  studyId = await buildLargeAgreementStudy({ app: local, storage }, dir, 14);
  // Both apps sign cookies with the secret stored in the database, so one cookie serves both.
  cookie = (await signInResearcher({ app: local, storage })).cookie;
}, 60_000);

afterAll(async () => {
  await pooled.close();
  await local.close();
  await storage.close();
});

async function both(url: string): Promise<[{ status: number; body: string }, { status: number; body: string }]> {
  const get = async (app: typeof local) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: res.statusCode, body: res.body };
  };
  return [await get(pooled), await get(local)];
}

describe('agreement reports on the pool', () => {
  it('the report, byte for byte (but for the time it was made), as computed in-process', async () => {
    const [fromPool, inProcess] = await both(`/api/studies/${studyId}/agreement${SETTINGS}`);
    expect(fromPool.status).toBe(200);
    expect(JSON.parse(fromPool.body)).toMatchObject({ studyId, counts: { ratedItems: 14, ratings: 28 } });
    expect(sameTime(fromPool.body)).toBe(sameTime(inProcess.body));
  }, 30_000);

  it('its table downloads, byte for byte', async () => {
    for (const table of ['judge_vs_humans.csv', 'disagreements.jsonl', 'outcomes.csv']) {
      const [fromPool, inProcess] = await both(`/api/studies/${studyId}/agreement/${table}${SETTINGS}`);
      expect(fromPool.status, table).toBe(200);
      expect(fromPool.body.length, table).toBeGreaterThan(0);
      expect(fromPool.body, table).toBe(inProcess.body);
    }
  }, 30_000);

  it('refusals: the same status and body', async () => {
    for (const url of [
      '/api/studies/no-such-study/agreement',
      '/api/studies/no-such-study/agreement/slices.csv',
      `/api/studies/${studyId}/agreement?epsilon=2`,
      `/api/studies/${studyId}/agreement/ratings.csv`,
    ]) {
      const [fromPool, inProcess] = await both(url);
      expect(fromPool.status, url).toBeGreaterThanOrEqual(400);
      expect(fromPool, url).toEqual(inProcess);
    }
  });

  it('a thread that cannot open the database: 500 internal, with no exception text, and the app goes on', async () => {
    const folder = join(dir, 'a-folder.sqlite');
    mkdirSync(folder);
    const broken = await buildApp({
      config: { clientDir: join(dir, 'no-client'), database: { kind: 'sqlite', file: folder } },
      storage,
      isDeclaredModel: () => true,
    });
    try {
      const res = await broken.inject({ method: 'GET', url: `/api/studies/${studyId}/agreement`, headers: { cookie } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ error: 'internal' });
      expect(res.body).not.toContain(folder);
      expect((await broken.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  }, 30_000);

  it('a closed pool refuses new reports as unavailable', async () => {
    const pool = agreementReportPool({ database: { kind: 'sqlite', file }, log: captureLog([]) });
    const report = await pool.report(studyId, { epsilon: 0.1, resamples: 20, seed: 1 });
    expect(report?.counts.ratedItems).toBe(14);
    expect(await pool.report('no-such-study', { epsilon: 0.1, resamples: 20, seed: 1 })).toBeNull();
    await pool.close();
    const refused = await pool.report(studyId, { epsilon: 0.1, resamples: 20, seed: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(503);
  }, 30_000);
});
