import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { buildApp } from '../../server/app.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import type { ModelLookup } from '../../server/services/research/run-options.ts';
import { recordsSha256 } from '../../server/services/research/batch-run-job.ts';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { FastifyInstance } from 'fastify';
import { signInResearcher } from '../support/auth-helpers.ts';
import { call } from '../support/study-work-app.ts';
import { openSampleStorage } from '../support/sample-storage.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * A batch run started from the browser with `records: 'study-selection'` runs exactly the records the live study's
 * settings select, records what it ran on, and resumes only a run over the same selection. Real SQLite file, the
 * offline test model, real HTTP requests.
 */

const dir = tempDir('prefdisco-run-selection-');
let app: FastifyInstance;
let storage: SqliteStorage;
let studyId = '';
let cookie = '';
let all: string[] = [];

async function runUntilDone(runId: string): Promise<RunInfo> {
  const started = Date.now();
  for (;;) {
    const res = await call(app, cookie, 'GET', `/api/runs/${runId}`);
    const run = (res.body as { run: RunInfo }).run;
    if (run.status !== 'running') return run;
    if (Date.now() - started > 30_000) throw new Error(`run ${runId} still running: ${JSON.stringify(run.progress)}`);
    await sleep(25);
  }
}

async function ranOn(runId: string): Promise<string[]> {
  const res = await call(app, cookie, 'GET', `/api/runs/${runId}/episodes?limit=1000`);
  const episodes = (res.body as { episodes: { problemId: string }[] }).episodes;
  return [...new Set(episodes.map((e) => e.problemId))].sort();
}

async function select(problemIds: string[]): Promise<void> {
  const res = await call(app, cookie, 'PUT', `/api/studies/${studyId}/settings`, {
    models: ['scripted'],
    records: { kind: 'list', problemIds },
  });
  expect(res.status).toBe(200);
}

async function start(body: Record<string, unknown>): Promise<{ runId: string; resumedFrom: string | null }> {
  const res = await call(app, cookie, 'POST', `/api/studies/${studyId}/runs`, {
    model: 'scripted',
    judge: 'scripted',
    modes: ['no_prompt', 'infer_persona'],
    ...body,
  });
  expect(res.status).toBe(202);
  return res.body as { runId: string; resumedFrom: string | null };
}

beforeAll(async () => {
  storage = await openSampleStorage(join(dir, 'selection.sqlite'));
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const models: ModelLookup = { names: () => ['scripted'], get: () => scripted };
  app = await buildApp({ config: { clientDir: join(dir, 'no-client'), runsDir: join(dir, 'runs') }, storage, models });
  studyId = (await storage.findStudyByName('Sample benchmark'))?.id ?? '';
  all = (await storage.research.listStudyRecords(studyId)).map((r) => r.problemId);
  cookie = (await signInResearcher({ app, storage })).cookie;
});

afterAll(async () => {
  await app.close();
  await storage.close();
});

describe("batch runs limited to the live study's selection", () => {
  it('run exactly the selected records, and say so in the run', async () => {
    expect(all.length).toBeGreaterThan(4);
    const selection = [all[4], all[1]] as string[];
    await select(selection);
    const { runId } = await start({ records: 'study-selection' });
    const run = await runUntilDone(runId);
    expect(run.status).toBe('completed');
    expect(run.progress).toMatchObject({ total: 4, done: 4, failed: 0 });
    expect(await ranOn(runId)).toEqual([...selection].sort());
    expect(run.options.records).toBe('study-selection');
    expect(run.options.selection).toMatchObject({ records: 2 });
  });

  it('sample max problems within the selection', async () => {
    await select([all[0], all[2], all[3]] as string[]);
    const { runId } = await start({ records: 'study-selection', maxProblems: 2, seed: 3 });
    expect((await runUntilDone(runId)).status).toBe('completed');
    const ran = await ranOn(runId);
    expect(ran).toHaveLength(2);
    for (const p of ran) expect([all[0], all[2], all[3]]).toContain(p);
  });

  it('resume a run over the same selection, and start afresh once the selection changed', async () => {
    await select([all[1], all[4]] as string[]);
    const again = await start({ records: 'study-selection' });
    expect(again.resumedFrom).not.toBeNull();
    expect((await runUntilDone(again.runId)).progress).toMatchObject({ total: 4, skipped: 4 });

    await select([all[1]] as string[]);
    const changed = await start({ records: 'study-selection' });
    expect(changed.resumedFrom).toBeNull();
    expect((await runUntilDone(changed.runId)).progress).toMatchObject({ total: 2, skipped: 0 });
    expect(await ranOn(changed.runId)).toEqual([all[1]]);
  });

  it('run every record without the option, and refuse an unknown value', async () => {
    const { runId } = await start({ modes: ['no_prompt'] });
    const run = await runUntilDone(runId);
    expect(run.options.records).toBe('all');
    expect(run.options.selection).toBeUndefined();
    expect(await ranOn(runId)).toEqual([...all].sort());
    // The records' hash is worked out by the run's job (not when the run is started) and stored on its row.
    const stored = await storage.research.getRun(runId);
    expect(stored?.benchmarkSha256).toBe(recordsSha256(await storage.research.listStudyRecords(studyId)));
    expect(stored?.benchmarkSha256).toMatch(/^[0-9a-f]{64}$/);

    const bad = await call(app, cookie, 'POST', `/api/studies/${studyId}/runs`, {
      model: 'scripted',
      judge: 'scripted',
      records: 'some',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('records');
  });
});
