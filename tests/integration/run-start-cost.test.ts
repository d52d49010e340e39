import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { writeBenchmarkFromSample } from '../../bench/support/synthetic-from-sample.ts';
import { buildApp } from '../../server/app.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { importBenchmarkFile } from '../../server/services/benchmark/import-benchmark-file.ts';
import type { JobHost } from '../../server/services/jobs/job-host.ts';
import type { ModelLookup } from '../../server/services/research/run-options.ts';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { openSampleStorage } from '../support/sample-storage.ts';
import { call } from '../support/study-work-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Starting a batch run answers on the live loop, so it must not read the study's records there: on a study of 1,500
 * records `POST …/runs` takes a small fraction of what reading them takes (it used to read and parse every one, then
 * hash them: most of a second in a 5,000-record study, the loop held all along). The records are read, and their hash
 * stored on the run, by the run's job. Real SQLite file, real HTTP requests (inject); the jobs stay queued in the
 * database, since what runs them (the research worker thread in the server) is not what is measured here.
 */
const dir = tempDir('prefdisco-run-start-');
const RECORDS = 1500;
let app: FastifyInstance;
let storage: SqliteStorage;
let cookie = '';
let studyId = '';

/** Jobs are recorded in the database but nothing claims them. */
const idleJobHost: JobHost = {
  start: () => undefined,
  wake: () => undefined,
  cancel: () => undefined,
  close: async () => undefined,
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

beforeAll(async () => {
  storage = await openSampleStorage(join(dir, 'start.sqlite'));
  const file = join(dir, 'big.jsonl');
  writeBenchmarkFromSample(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'), file, RECORDS);
  await importBenchmarkFile(storage, file, { study: 'Big', skipImages: true, yieldToOtherWriters: false });
  studyId = (await storage.findStudyByName('Big'))?.id ?? '';
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const models: ModelLookup = { names: () => ['scripted'], get: () => scripted };
  app = await buildApp({
    config: { clientDir: join(dir, 'no-client'), runsDir: join(dir, 'runs') },
    storage,
    models,
    researchWorker: () => idleJobHost,
  });
  cookie = (await signInResearcher({ app, storage })).cookie;
}, 120_000);

afterAll(async () => {
  await app.close();
  await storage.close();
});

describe('starting a batch run', () => {
  it("takes a small fraction of reading the study's records, and leaves their hash to the run's job", async () => {
    expect((await storage.research.listStudyRecords(studyId)).length).toBe(RECORDS);
    const reads: number[] = [];
    const starts: number[] = [];
    const runIds: string[] = [];
    // Alternated, so a slower stretch of a shared machine weighs on both.
    for (const seed of [1, 2, 3, 4, 5]) {
      reads.push(await timed(() => storage.research.listStudyRecords(studyId)));
      starts.push(
        await timed(async () => {
          const res = await call(app, cookie, 'POST', `/api/studies/${studyId}/runs`, {
            model: 'scripted',
            judge: 'scripted',
            seed,
          });
          expect(res.status).toBe(202);
          runIds.push((res.body as { runId: string }).runId);
        }),
      );
    }
    expect(median(starts)).toBeLessThan(median(reads) / 4);

    // Recorded, not run yet: the hash of the records is the job's to store when it reads them.
    for (const runId of runIds) {
      expect(await storage.research.getRun(runId)).toMatchObject({ status: 'running', benchmarkSha256: null });
      expect(await storage.jobs.getJobByKey(`batch_run:${runId}`)).toMatchObject({ status: 'queued' });
    }
  }, 60_000);
});
