import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StartRunBody } from '../../shared/schemas/research.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { BatchQueue, CHUNK_QUEUE } from '../../server/services/batch-queue/batch-queue.ts';
import {
  runQueuedBatch,
  type QueuedRunDeps,
  type QueuedRunSummary,
} from '../../server/services/batch-queue/queued-run.ts';
import { runBatch } from '../../server/services/evaluation/batch-run.ts';
import { companionPath } from '../../server/services/evaluation/result-files.ts';
import type { Logger } from '../../server/services/logger.ts';
import { prepareData } from '../../server/services/prepare-data.ts';
import { runModels, runOptions, type ModelLookup } from '../../server/services/research/run-options.ts';
import { studyRunSpec } from '../../server/services/research/study-run-spec.ts';
import {
  BATCH_RUN_JOB,
  batchRunJobHandler,
  batchRunJobKey,
  type BatchRunJobPayload,
} from '../../server/services/research/batch-run-job.ts';
import { PostgresQueuedRuns } from '../../server/storage/postgres/postgres-queued-runs.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { roleResponder } from '../support/role-responder.ts';
import { tempDir } from '../support/temp-files.ts';
import { startWorkerProcess, stopWorker, workerStarted, type WorkerProcess } from '../support/worker-process.ts';

/**
 * Batch runs shared through the PostgreSQL job queue (pg-boss) by real `prefdisco worker` processes: the sample
 * study's 64 records × 4 entries (no_prompt, persona_known, infer_persona with two simulated user types) = 256
 * episodes with the offline scripted model and a fixed seed. Two workers give the same results file as one worker
 * and as a one-process run (batch-run.ts) after sorting by record; a worker killed with SIGKILL mid-run leaves its
 * chunk to the other, and every entry is played into the file once; one stopped with SIGTERM gives its chunk back at
 * once (both while a model call waits, on local model servers); a cancel stops the workers; a worker lacking the run's
 * model fails its chunks a bounded number of times, their entries end failed with the reason, and a later run
 * plays only those, while a provider that always answers 500 fails each episode once (not its chunk). A shared run's
 * tokens and cost, summed over its workers, equal a one-process run's.
 */
const dir = tempDir('prefdisco-batch-queue-');
const ignore = (): void => undefined;
const silentLog: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore, child: () => silentLog };
const ENTRIES = 64 * 4;

/**
 * What differs between two runs of the same seed, even on one process: each episode's fresh id and the time its line
 * was written. Everything else (the conversation, scores, provenance, options) must be the same bytes.
 */
function normalised(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) =>
      l.replace(/"timestamp":[0-9.e+-]+/, '"timestamp":0').replace(/"episode_id":"[0-9a-f-]{36}"/, '"episode_id":"-"'),
    )
    .sort();
}

/** Each line's (record, mode, user type), as the file has them. */
function entryKeys(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const r = JSON.parse(l) as { problem_id: string; mode: string; user_type: string };
      return `${r.problem_id}/${r.mode}/${r.user_type}`;
    });
}

describe.skipIf(!postgresInstalled)(needsPostgres('batch runs shared by prefdisco worker processes'), () => {
  const postgres = usePostgres();
  let url = '';
  let storage: PostgresStorage;
  let queuedRuns: PostgresQueuedRuns;
  let queue: BatchQueue;
  let studyId = '';
  const workers: WorkerProcess[] = [];
  /** The two-worker run's results file, which later tests compare with. */
  let reference = '';
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  // The server's models: the built-in one, and "remote", which some workers below do not declare.
  const models: ModelLookup = { names: () => ['scripted', 'remote'], get: () => scripted };

  /** A worker with only the built-in scripted model, or with the models of `modelsFile`. */
  function startWorker(name: string, modelsFile = join(dir, 'no-models.json')): WorkerProcess {
    const worker = startWorkerProcess(
      name,
      {
        PREFDISCO_DATABASE_URL: url,
        PREFDISCO_MODELS_FILE: modelsFile,
        PREFDISCO_DB: join(dir, 'unused.sqlite'),
      },
      ['--maintenance-seconds', '1'],
    );
    workers.push(worker);
    return worker;
  }

  async function newRun(options: Partial<StartRunBody> = {}): Promise<{ id: string; outPath: string }> {
    const id = randomUUID();
    const outPath = join(dir, `${id}.jsonl`);
    await storage.research.createStudyRun({
      id,
      studyId,
      benchmarkSha256: null,
      outPath,
      options: {
        ...runOptions({
          model: 'scripted',
          judge: 'scripted',
          userTypes: ['passive', 'passive_nostop'],
          seed: 7,
          ...options,
        }),
        concurrency: 4,
      },
    });
    return { id, outPath };
  }

  async function rows<R>(sql: string, params: unknown[]): Promise<R[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  }

  /**
   * Until both workers have stored lines of the run. Each is then playing it, though possibly between two chunks: a
   * chunk's episodes end together, so its first lines come just before its end.
   */
  async function bothPlaying(runId: string): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      const by = await rows<{ worker: string }>('SELECT DISTINCT worker FROM queued_run_lines WHERE run_id = $1', [
        runId,
      ]);
      if (by.length === 2) return;
      await sleep(10);
    }
  }

  /** A models file declaring "remote" as the OpenAI-compatible server at `baseUrl`, without retries of its own. */
  function remoteModelsFile(name: string, baseUrl: string): string {
    const file = join(dir, name);
    const remote = { name: 'remote', provider: 'openai-compatible', model: 'm', baseUrl, maxRetries: 0 };
    writeFileSync(file, JSON.stringify({ models: [remote] }));
    return file;
  }

  /** Local model servers a test started; closed after it, hanging replies and all. */
  const modelServers: FakeOpenAiServer[] = [];

  /**
   * Two workers whose model "remote" is each a local OpenAI-compatible server of its own, answering as a model in
   * each role would. `holdFirst` makes the first one's server stop answering and resolves once that worker has a call
   * waiting: a worker calls a model only while it holds a chunk, so it is then provably inside one. (With the built-in
   * model a chunk's episodes end together, and a worker stopped at a chosen moment may be between two chunks.)
   */
  async function workersOnOwnServers(firstName: string, secondName: string) {
    const [held, free] = await Promise.all([startFakeOpenAiServer(), startFakeOpenAiServer()]);
    modelServers.push(held, free);
    const answer = roleResponder();
    let holding = false;
    let hung = 0;
    held.respondWith((body) => {
      if (!holding) return answer(body);
      hung += 1;
      return { kind: 'hang' };
    });
    free.respondWith(answer);
    const [first, second] = [
      startWorker(firstName, remoteModelsFile(`${firstName}-models.json`, held.baseUrl)),
      startWorker(secondName, remoteModelsFile(`${secondName}-models.json`, free.baseUrl)),
    ];
    await Promise.all([workerStarted(first), workerStarted(second)]);
    const holdFirst = async (): Promise<void> => {
      holding = true;
      for (let i = 0; i < 2000 && hung === 0; i++) await sleep(10);
      if (hung === 0) throw new Error(`${firstName} made no model call in 20 s to hold`);
    };
    return { first, second, holdFirst };
  }

  const queued = (
    runId: string,
    signal = new AbortController().signal,
    more: Partial<QueuedRunDeps> = {},
  ): Promise<QueuedRunSummary> => runQueuedBatch(runId, null, { storage, queuedRuns, queue, models, signal, ...more });

  /**
   * The run played as the server's research worker plays a browser-started one (research/batch-run-job.ts, coordinating
   * the shared run); returns the run's row, whose status and progress the browser shows.
   */
  async function viaJob(runId: string, tries: Partial<Pick<QueuedRunDeps, 'chunkTries' | 'chunkRetrySeconds'>> = {}) {
    const at = new Date().toISOString();
    await batchRunJobHandler({ storage, models, sharedRuns: { queue, queuedRuns, ...tries } })(
      {
        id: randomUUID(),
        kind: BATCH_RUN_JOB,
        key: batchRunJobKey(runId),
        payload: { runId, problemIds: null } satisfies BatchRunJobPayload,
        status: 'running',
        owner: 'test',
        leaseExpiresAt: null,
        attempts: 1,
        cancelRequested: false,
        error: null,
        createdAt: at,
        updatedAt: at,
        finishedAt: null,
      },
      { signal: new AbortController().signal, log: silentLog },
    );
    const run = await storage.research.getRun(runId);
    if (!run) throw new Error(`run ${runId} not stored`);
    return run;
  }

  beforeAll(async () => {
    ({ url } = await postgres.migratedDatabase());
    storage = await PostgresStorage.open({ url, maxConnections: 4 });
    await prepareData(
      storage,
      {
        personasDir: join(PROJECT_ROOT, 'personas'),
        sampleFile: join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'),
        sampleStudy: 'Sample benchmark',
        seedSample: true,
      },
      { info: () => undefined },
    );
    studyId = (await storage.findStudyByName('Sample benchmark'))?.id ?? '';
    queuedRuns = PostgresQueuedRuns.open(url);
    // Short expiry: a killed worker's chunk goes to the other after seconds (a chunk of the scripted model takes ms).
    queue = await BatchQueue.open(url, { chunkExpirySeconds: 5, maintenanceSeconds: 1 });
  }, 120_000);

  /** Workers a test left running (it failed before stopping them) would claim the next tests' chunks. */
  async function killRunningWorkers(): Promise<void> {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
  }
  afterEach(async () => {
    await killRunningWorkers();
    await Promise.all(modelServers.splice(0).map((server) => server.close()));
  });

  afterAll(async () => {
    await killRunningWorkers();
    await queue?.close();
    await queuedRuns?.close();
    await storage?.close();
  });

  it('two workers produce the same results file as one worker and as a one-process run', async () => {
    const [a, b] = [startWorker('w1'), startWorker('w2')];
    await Promise.all([workerStarted(a), workerStarted(b)]);
    const shared = await newRun();
    let at = performance.now();
    // Through the browser-started run's job handler, whose progress on the run's row is what the browser shows.
    const two = await viaJob(shared.id);
    const seconds: Record<string, number> = { twoWorkers: (performance.now() - at) / 1000 };
    expect(two?.status).toBe('completed');
    expect(two?.progress).toMatchObject({ total: ENTRIES, done: ENTRIES, failed: 0 });
    const byWorker = await rows<{ worker: string; n: number }>(
      'SELECT worker, COUNT(*)::integer AS n FROM queued_run_lines WHERE run_id = $1 GROUP BY worker ORDER BY worker',
      [shared.id],
    );
    expect(byWorker.map((r) => r.worker)).toEqual(['w1', 'w2']);
    for (const r of byWorker) expect(r.n).toBeGreaterThanOrEqual(1);
    const usageBy = await rows<{ worker: string }>(
      'SELECT DISTINCT worker FROM queued_run_usage WHERE run_id = $1 ORDER BY worker',
      [shared.id],
    );
    expect(usageBy.map((r) => r.worker)).toEqual(['w1', 'w2']);
    expect(await Promise.all([stopWorker(a), stopWorker(b)])).toEqual([0, 0]);

    const c = startWorker('w3');
    await workerStarted(c);
    const single = await newRun();
    at = performance.now();
    expect(await queued(single.id)).toMatchObject({ interrupted: false, done: ENTRIES });
    seconds.oneWorker = (performance.now() - at) / 1000;
    expect(await stopWorker(c)).toBe(0);

    // The one-process path (what a browser-started run does on SQLite), on the same stored records and options.
    const direct = await newRun();
    const run = await storage.research.getRun(direct.id);
    if (!run) throw new Error('run not stored');
    const records = await storage.research.listStudyRecords(studyId);
    at = performance.now();
    // Metered as the browser-started run's job meters it (research/batch-run-job.ts): its progress shows these totals.
    const metered = runModels(models, run.options);
    const summary = await runBatch({
      ...studyRunSpec({ ...run, outPath: direct.outPath }, records, null),
      models: metered,
      storage,
      signal: new AbortController().signal,
    });
    expect(summary).toMatchObject({ interrupted: false, done: ENTRIES });
    seconds.oneProcess = (performance.now() - at) / 1000;
    // For the record only (two shared cores: times vary run to run); nothing is asserted on them.
    console.info(`${ENTRIES} scripted episodes, seconds: ${JSON.stringify(seconds)}`);

    // The shared runs' usage is read from the database, summed over every worker's chunks: the same calls, tokens
    // and cost as the one process's meters.
    const totals = [metered.assistant, metered.judge, metered.simulator].map((m) => m.totals);
    const oneProcessUsage = {
      calls: totals.reduce((n, t) => n + t.calls, 0),
      inputTokens: totals.reduce((n, t) => n + t.inputTokens, 0),
      outputTokens: totals.reduce((n, t) => n + t.outputTokens, 0),
      costUsd: totals.reduce((n, t) => n + (t.costUsd ?? 0), 0),
    };
    expect(oneProcessUsage.calls).toBeGreaterThan(ENTRIES);
    expect(oneProcessUsage.inputTokens).toBeGreaterThan(0);
    const { calls, inputTokens, outputTokens, costUsd } = two?.progress ?? {};
    expect({ calls, inputTokens, outputTokens, costUsd }).toEqual(oneProcessUsage);
    expect(await queuedRuns.usage(single.id)).toEqual(oneProcessUsage);

    const twoLines = normalised(shared.outPath);
    expect(twoLines).toHaveLength(ENTRIES);
    expect(twoLines).toEqual(normalised(single.outPath));
    expect(twoLines).toEqual(normalised(direct.outPath));
    reference = shared.outPath;
  }, 240_000);

  it('a run starting from a copy of an earlier results file plays only the entries it lacks', async () => {
    const w = startWorker('r1');
    await workerStarted(w);
    const { id, outPath } = await newRun();
    // As research/batch-runs.ts starts a run with the options of an earlier one: a copy of its file (here, half).
    const earlier = readFileSync(reference, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      outPath,
      earlier
        .slice(0, ENTRIES / 2)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const summary = await queued(id);
    expect(summary).toMatchObject({ interrupted: false, skipped: ENTRIES / 2, done: ENTRIES / 2, failed: 0 });
    const [played] = await rows<{ n: number }>(
      "SELECT COUNT(*)::integer AS n FROM queued_run_lines WHERE run_id = $1 AND worker = 'r1'",
      [id],
    );
    expect(played?.n).toBe(ENTRIES / 2);
    expect(normalised(outPath)).toEqual(normalised(reference));
    expect(await stopWorker(w)).toBe(0);
  }, 240_000);

  it('a worker killed mid-run leaves its chunk to the other, and every entry is played into the file once', async () => {
    const { first: a, second: b, holdFirst } = await workersOnOwnServers('k1', 'k2');
    const { id, outPath } = await newRun({ model: 'remote' });
    const done = queued(id);
    await bothPlaying(id);
    // Killed while its model call waits, so it dies holding a chunk, which goes to the other when it expires.
    await holdFirst();
    a.child.kill('SIGKILL');
    await a.exited;
    const summary = await done;
    expect(summary).toMatchObject({ interrupted: false, total: ENTRIES, done: ENTRIES });
    const keys = entryKeys(outPath);
    expect(new Set(keys).size).toBe(ENTRIES);
    expect(keys).toHaveLength(ENTRIES);
    // The run's completed episodes are exactly its file's (one the killed worker stored without its line is aborted).
    const [completed] = await rows<{ n: number }>(
      "SELECT COUNT(*)::integer AS n FROM episodes WHERE run_id = $1 AND status = 'completed'",
      [id],
    );
    expect(completed?.n).toBe(ENTRIES);
    expect(await stopWorker(b)).toBe(0);
  }, 240_000);

  it('a worker stopped by SIGTERM mid-run releases its chunks, exits 0, and the other finishes the run', async () => {
    const { first: a, second: b, holdFirst } = await workersOnOwnServers('t1', 't2');
    const { id, outPath } = await newRun({ model: 'remote' });
    const done = queued(id);
    await bothPlaying(id);
    await holdFirst();
    expect(await stopWorker(a)).toBe(0);
    // It stopped inside a chunk and gave it back instead of leaving it to expire.
    const last = JSON.parse(a.log.find((l) => l.includes('worker stopped')) ?? '{}') as { releasedChunks?: number };
    expect(last.releasedChunks).toBe(1);
    expect(await done).toMatchObject({ interrupted: false, total: ENTRIES, done: ENTRIES });
    const keys = entryKeys(outPath);
    expect(new Set(keys).size).toBe(ENTRIES);
    expect(keys).toHaveLength(ENTRIES);
    expect(await stopWorker(b)).toBe(0);
  }, 240_000);

  it('a cancel stops the workers: nothing more is stored a second after it', async () => {
    const w = startWorker('c1');
    await workerStarted(w);
    const { id, outPath } = await newRun();
    const cancel = new AbortController();
    const running = queued(id, cancel.signal);
    const count = async (): Promise<number> =>
      (await rows<{ n: number }>('SELECT COUNT(*)::integer AS n FROM queued_run_lines WHERE run_id = $1', [id]))[0]
        ?.n ?? 0;
    while ((await count()) < 8) await sleep(10);
    cancel.abort();
    const summary = await running;
    expect(summary.interrupted).toBe(true);
    // The file holds what was played, as a one-process run's does, for a later run with the same options to resume.
    expect(readFileSync(outPath, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(8);
    await sleep(1000);
    const afterOne = await count();
    await sleep(2000);
    expect(await count()).toBe(afterOne);
    expect(afterOne).toBeLessThan(ENTRIES);
    expect(await stopWorker(w)).toBe(0);
  }, 240_000);

  it('a chunk that keeps failing gets a bounded number of tries, then its entries are failed with the reason; a later run plays only them', async () => {
    // The run's model is "remote", which a worker with only the built-in models does not declare. Fixed, a worker's
    // models file declares it (the scripted model under that name, so the test stays offline).
    const remoteModels = join(dir, 'remote-models.json');
    writeFileSync(remoteModels, JSON.stringify({ models: [{ name: 'remote', provider: 'scripted', model: 'x' }] }));
    const remoteRun = (): Promise<{ id: string; outPath: string }> => newRun({ model: 'remote', maxProblems: 3 });
    const total = 3 * 4;
    const keys = (file: string): string[] => entryKeys(file).sort();

    // The reference: a worker that declares the model plays the whole run.
    const good = startWorker('f1', remoteModels);
    await workerStarted(good);
    const ref = await remoteRun();
    expect(await queued(ref.id)).toMatchObject({ interrupted: false, total, done: total, failed: 0 });
    expect(await stopWorker(good)).toBe(0);

    // A run that begins with half of the reference's lines (chunk 0 and half of chunk 1), on a worker that lacks the
    // model: chunks 1 and 2 fail on every try.
    const broken = startWorker('b1');
    await workerStarted(broken);
    const first = await remoteRun();
    const refLines = readFileSync(ref.outPath, 'utf8').split('\n').filter(Boolean);
    writeFileSync(
      first.outPath,
      refLines
        .slice(0, total / 2)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const failedRun = await viaJob(first.id, { chunkTries: 3, chunkRetrySeconds: 1 });
    // It ends as a one-process run with failed episodes does: completed, the failed entries counted, nothing played.
    expect(failedRun.status).toBe('completed');
    expect(failedRun.progress).toMatchObject({
      total,
      skipped: total / 2,
      done: 0,
      failed: total / 2,
      calls: 0,
      inputTokens: 0,
      costUsd: null,
    });
    // Only the chunks with an entry to play were queued, and each was completed after its last try.
    const jobs = await rows<{ chunk: number; state: string }>(
      `SELECT (data->>'chunk')::integer AS chunk, state::text AS state FROM pgboss.job
       WHERE name = $1 AND data->>'runId' = $2 ORDER BY 1`,
      [CHUNK_QUEUE, first.id],
    );
    expect(jobs).toEqual([
      { chunk: 1, state: 'completed' },
      { chunk: 2, state: 'completed' },
    ]);
    const failures = await queuedRuns.chunkFailures(first.id);
    expect(failures.map((f) => [f.chunk, f.tries, f.lastWorker])).toEqual([
      [1, 3, 'b1'],
      [2, 3, 'b1'],
    ]);
    for (const f of failures) expect(f.lastError).toContain('unknown model "remote"');
    // Each failed try went back with a pause doubling from the run's first (1 s, then 2 s); the third was the last.
    const logged = broken.log.map((l) => JSON.parse(l) as { msg: string; chunk?: number; retryInSeconds?: number });
    const retries = logged.filter((l) => l.msg === 'chunk failed; it goes back to the queue');
    expect(retries.map((l) => [l.chunk, l.retryInSeconds]).sort()).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    expect(logged.filter((l) => l.msg.startsWith('chunk failed on its last try')).map((l) => l.chunk)).toEqual(
      expect.arrayContaining([1, 2]),
    );
    // The failures file names each entry, what failed and where, like a one-process run's failed episodes.
    const failureLines = readFileSync(companionPath(first.outPath, 'failures'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (l) => JSON.parse(l) as { problem_id: string; mode: string; user_type: string; code: string; reason: string },
      );
    expect(failureLines).toHaveLength(total / 2);
    for (const f of failureLines) {
      expect(f.code).toBe('chunk_failed');
      expect(f.reason).toContain('on worker b1');
      expect(f.reason).toContain('unknown model "remote"');
    }
    expect(
      [...keys(first.outPath), ...failureLines.map((f) => `${f.problem_id}/${f.mode}/${f.user_type}`)].sort(),
    ).toEqual(keys(ref.outPath));
    // Bounded: nothing is tried again once the run has ended.
    const tried = broken.log.length;
    await sleep(3000);
    expect(broken.log.length).toBe(tried);
    expect(await stopWorker(broken)).toBe(0);

    // The worker fixed, a run with the same options starts from a copy of the failed run's file (as
    // research/batch-runs.ts starts it) and plays only the failed entries.
    const fixed = startWorker('f2', remoteModels);
    await workerStarted(fixed);
    const second = await remoteRun();
    writeFileSync(second.outPath, readFileSync(first.outPath));
    const resumed = await viaJob(second.id);
    expect(resumed.status).toBe('completed');
    expect(resumed.progress).toMatchObject({ total, skipped: total / 2, done: total / 2, failed: 0 });
    const [played] = await rows<{ n: number }>(
      "SELECT COUNT(*)::integer AS n FROM queued_run_lines WHERE run_id = $1 AND worker = 'f2'",
      [second.id],
    );
    expect(played?.n).toBe(total / 2);
    expect(normalised(second.outPath)).toEqual(normalised(ref.outPath));
    expect(resumed.progress?.calls).toBeGreaterThan(0);
    expect(await stopWorker(fixed)).toBe(0);
  }, 240_000);

  it('a provider that always answers 500 fails each episode once, as on one machine: its chunks are not retried', async () => {
    // A local OpenAI-compatible server that fails every call, declared to the worker without retries of its own.
    let requests = 0;
    const failing = createServer((req, res) => {
      requests += 1;
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"always down"}}');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const { port } = failing.address() as AddressInfo;
    const modelsFile = remoteModelsFile('down-models.json', `http://127.0.0.1:${port}/v1`);
    try {
      const w = startWorker('d1', modelsFile);
      await workerStarted(w);
      const { id, outPath } = await newRun({ model: 'remote', maxProblems: 3 });
      const total = 3 * 4;
      const run = await viaJob(id, { chunkTries: 3, chunkRetrySeconds: 1 });
      expect(run.status).toBe('completed');
      expect(run.progress).toMatchObject({ total, done: 0, failed: total, skipped: 0 });
      // Each episode's one call failed; every call, failed ones too, is in the run's totals.
      expect(requests).toBe(total);
      expect(run.progress?.calls).toBeGreaterThanOrEqual(total);
      const lines = readFileSync(companionPath(outPath, 'failures'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { stage: string; code: string; episode_id: string | null });
      expect(lines).toHaveLength(total);
      for (const l of lines) expect(l).toMatchObject({ stage: 'assistant', code: 'server_error' });
      expect(await queuedRuns.chunkFailures(id)).toEqual([]);
      expect(await stopWorker(w)).toBe(0);
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  }, 240_000);
});
