import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { writeBenchmarkFromSample } from '../../bench/support/synthetic-from-sample.ts';
import { describeOnEngines, type EngineDatabase } from '../support/engine-database.ts';
import { ADMIN, call, signInAsAdmin } from '../support/researcher-http.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';

/**
 * Batch runs on a real server process, where they run on the research worker thread: the scripted model over 700
 * records × 3 conditions (2,100 episodes) is cancelled within a second, and two runs killed with SIGKILL midway finish
 * after a restart, each job once, with every episode exactly once in its results file and in the database. On SQLite and
 * on PostgreSQL.
 */
const RECORDS = 700;
const EPISODES = RECORDS * 3;

describeOnEngines('batch runs on the research worker thread', (engine, database) => {
  let db: EngineDatabase;
  let env: Record<string, string>;
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

  /** What the database holds for a run (beside the running server): its completed episodes and its job. */
  async function storedRun(
    runId: string,
  ): Promise<{ completedIds: string[]; job: { status: string; attempts: number } | undefined }> {
    const completed = await db.rows<{ id: string }>(
      "SELECT id FROM episodes WHERE run_id = ? AND status = 'completed'",
      [runId],
    );
    const [job] = await db.rows<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM jobs WHERE key = ?',
      [`batch_run:${runId}`],
    );
    return { completedIds: completed.map((r) => r.id), job };
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
    db = database();
    env = {
      ...db.env,
      PREFDISCO_RUNS_DIR: join(db.dir, 'runs'),
      PREFDISCO_MODELS_FILE: join(db.dir, 'no-models.json'),
      PREFDISCO_ADMIN_USERNAME: ADMIN.username,
      PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
    };
    const file = join(db.dir, 'big.jsonl');
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
    await server?.stop();
  });

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

  it('SIGKILL mid-run, restart: both running runs continue by themselves, each job ends once, every episode once', async () => {
    // Two runs at once (different seeds, so neither is refused as a duplicate): the restart must resume every job the
    // killed process had started, not only the oldest.
    const runIds: string[] = [];
    for (const seed of [2, 3]) {
      const started = await call(`${server.url}/api/studies/${studyId}/runs`, 'POST', cookie, {
        model: 'scripted',
        judge: 'scripted',
        seed,
      });
      runIds.push(started.runId as string);
    }
    // Killed once both runs are under way and 300 of their episodes are done in all: SQLite plays the two at once,
    // PostgreSQL's queue may hand out one run's chunks before the other's.
    let before: RunInfo[] = [];
    for (const started = Date.now(); ;) {
      before = await Promise.all(runIds.map((runId) => getRun(runId)));
      const done = before.reduce((n, r) => n + (r.progress?.done ?? 0), 0);
      if (before.every((r) => r.status === 'running') && done >= 300) break;
      if (Date.now() - started > 60_000) throw new Error(`runs not under way: ${JSON.stringify(before)}`);
      await sleep(50);
    }
    for (const run of before) expect(run.progress?.done ?? 0).toBeLessThan(EPISODES);
    const doneBefore = before.map((r) => r.progress?.done ?? 0);
    expect(await server.stop('SIGKILL')).toBeNull();

    await startServer();
    for (const [i, runId] of runIds.entries()) {
      const finished = await runUntil(runId, (r) => r.status !== 'running' && r.status !== 'interrupted', 180_000);
      expect(finished.status).toBe('completed');
      // The second attempt kept what the first had stored (at least what it had reported before the kill), and did the
      // rest: on SQLite it skipped the first's lines of the results file; on PostgreSQL done counts the run's lines in
      // the database, whichever attempt stored them.
      const kept = engine === 'sqlite' ? finished.progress?.skipped : finished.progress?.done;
      expect(kept).toBeGreaterThanOrEqual(doneBefore[i] ?? 0);
      expect((finished.progress?.skipped ?? 0) + (finished.progress?.done ?? 0)).toBe(EPISODES);

      const res = await fetch(`${server.url}/api/runs/${runId}/results.jsonl`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const lines = (await res.text())
        .split('\n')
        .filter((l) => l !== '')
        .map(
          (l) =>
            JSON.parse(l) as {
              problem_id: string;
              mode: string;
              user_type: string;
              prefdisco_live: { episode_id: string };
            },
        );
      const keys = new Set(lines.map((l) => `${l.problem_id}|${l.mode}|${l.user_type}`));
      expect(lines).toHaveLength(EPISODES);
      expect(keys.size).toBe(EPISODES);

      // The database agrees with the results file: each of its episodes stored completed once under the run, no
      // other completed episode, and the run's job ended done after exactly two claims (the killed one and this one).
      const stored = await storedRun(runId);
      expect(stored.completedIds.length).toBe(EPISODES);
      expect(new Set(stored.completedIds)).toEqual(new Set(lines.map((l) => l.prefdisco_live.episode_id)));
      expect(stored.job).toEqual({ status: 'done', attempts: 2 });
    }
    // SQLite's server holds the database alone, so it puts the dead process's jobs back in the queue at start-up; on
    // PostgreSQL other nodes may be alive, and the jobs are claimed again once their leases expire (attempts 2 above).
    if (engine === 'sqlite')
      expect(server.output()).toMatch(/resuming 2 background jobs a previous process left running/);
  }, 420_000);
});
