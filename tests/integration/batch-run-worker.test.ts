import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { writeBenchmarkFromSample } from '../../bench/support/synthetic-from-sample.ts';
import { ADMIN, call, signInAsAdmin } from '../support/researcher-http.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Batch runs on a real server process, where they run on the research worker thread: the scripted model over 700
 * records × 3 conditions (2,100 episodes) is cancelled within a second, and a run killed with SIGKILL midway finishes
 * after a restart with every episode exactly once in its results file.
 */
const dir = tempDir('prefdisco-run-worker-');
const RECORDS = 700;
const EPISODES = RECORDS * 3;

const env = {
  PREFDISCO_DB: join(dir, 'runs.sqlite'),
  PREFDISCO_RUNS_DIR: join(dir, 'runs'),
  PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
  PREFDISCO_ADMIN_USERNAME: ADMIN.username,
  PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
};

let server: ServedApp;
let cookie: string;
let studyId: string;

async function startServer(): Promise<void> {
  server = await serveProcess(env);
  cookie = await signInAsAdmin(server.url);
}

async function getRun(runId: string): Promise<RunInfo> {
  return ((await call(`${server.url}/api/runs/${runId}`, 'GET', cookie)) as { run: RunInfo }).run;
}

async function runUntil(runId: string, done: (run: RunInfo) => boolean, ms: number): Promise<RunInfo> {
  const started = Date.now();
  for (;;) {
    const run = await getRun(runId);
    if (done(run)) return run;
    if (Date.now() - started > ms)
      throw new Error(
        `run ${runId} still ${run.status} after ${ms} ms: ${JSON.stringify(run.progress)}\n${server.output().slice(-3000)}`,
      );
    await sleep(50);
  }
}

beforeAll(async () => {
  const file = join(dir, 'big.jsonl');
  writeBenchmarkFromSample(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'), file, RECORDS);
  await startServer();
  const res = await fetch(`${server.url}/api/studies/import?study=Worker`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-ndjson' },
    body: readFileSync(file),
  });
  expect(res.status).toBe(200);
  studyId = ((await res.json()) as { outcome: { studyId: string } }).outcome.studyId;
}, 120_000);

afterAll(async () => {
  await server.stop();
});

describe('batch runs on the research worker thread', () => {
  it('a 2,100-episode run starts at once, the server stays responsive, and a cancel takes effect within a second', async () => {
    let t = performance.now();
    const started = await call(`${server.url}/api/studies/${studyId}/runs`, 'POST', cookie, {
      model: 'scripted',
      judge: 'scripted',
      seed: 1,
    });
    const startMs = performance.now() - t;
    const runId = started.runId as string;
    expect(startMs).toBeLessThan(100000);

    // The event loop answers while the worker runs episodes (before: seconds per request during a run).
    const healthMs: number[] = [];
    let run = await getRun(runId);
    while ((run.progress?.done ?? 0) < 300) {
      t = performance.now();
      const health = await fetch(`${server.url}/api/health`);
      healthMs.push(performance.now() - t);
      expect(health.status).toBe(200);
      run = await getRun(runId);
      expect(run.status).toBe('running');
    }
    healthMs.sort((a, b) => a - b);
    expect(healthMs[Math.floor(healthMs.length / 2)]).toBeLessThan(500);

    t = performance.now();
    const res = await fetch(`${server.url}/api/runs/${runId}/cancel`, { method: 'POST', headers: { cookie } });
    const cancelled = ((await res.json()) as { run: RunInfo }).run;
    const cancelMs = performance.now() - t;
    expect(res.status).toBe(200);
    expect(cancelled.status).toBe('interrupted');
    // Within a second, with some slack for a loaded two-core machine (before: only once the whole run had finished).
    expect(cancelMs).toBeLessThan(1500);
    expect(cancelled.progress?.total).toBe(EPISODES);
    const doneAtCancel = cancelled.progress?.done ?? 0;
    expect(doneAtCancel).toBeLessThan(EPISODES);
    // Stopped means stopped: nothing more is done after the answer.
    await sleep(500);
    const later = await getRun(runId);
    expect(later.status).toBe('interrupted');
    expect(later.progress?.done).toBe(doneAtCancel);
  }, 120_000);

  it('SIGKILL mid-run, restart: the run continues by itself and ends with every episode once in its results file', async () => {
    const started = await call(`${server.url}/api/studies/${studyId}/runs`, 'POST', cookie, {
      model: 'scripted',
      judge: 'scripted',
      seed: 2,
    });
    const runId = started.runId as string;
    const before = await runUntil(runId, (r) => (r.progress?.done ?? 0) >= 300, 60_000);
    expect(before.progress?.done).toBeLessThan(EPISODES);
    expect(await server.stop('SIGKILL')).toBeNull();

    await startServer();
    const finished = await runUntil(runId, (r) => r.status !== 'running' && r.status !== 'interrupted', 120_000);
    expect(finished.status).toBe('completed');
    // The second attempt skipped what the first had written, and did the rest.
    expect(finished.progress?.skipped).toBeGreaterThanOrEqual(300);
    expect((finished.progress?.skipped ?? 0) + (finished.progress?.done ?? 0)).toBe(EPISODES);

    const res = await fetch(`${server.url}/api/runs/${runId}/results.jsonl`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { problem_id: string; mode: string; user_type: string });
    const keys = new Set(lines.map((l) => `${l.problem_id}|${l.mode}|${l.user_type}`));
    expect(lines).toHaveLength(EPISODES);
    expect(keys.size).toBe(EPISODES);
    expect(server.output()).toMatch(/resuming \d+ background jobs a previous process left running/);
  }, 240_000);
});
