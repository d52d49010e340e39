import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { call } from '../../tests/support/researcher-http.ts';
import type { BusyReport, BusyRequest, BusyResponse } from './live-busy-protocol.ts';

/**
 * The researcher's side of bench:live-busy, in a process of its own so that its work (a 100 MB upload, polling) is
 * not done on the bench process's event loop, which serves the fake model the persons' turns stream from. On `start`
 * it polls `/api/health` about every 100 ms and, when asked, starts the background work over HTTP as the console
 * does: a scripted batch run, a benchmark import and the agreement report, all at once. On `stop` it stops polling,
 * waits for the background work to end and reports. Forked by bench/live-busy.bench.ts with `--import tsx`.
 */

const HEALTH_EVERY_MS = 100;
const RUN_POLL_MS = 500;
/** Polls of the run's progress that may fail in a row before the run counts as lost. */
const MAX_FAILED_POLLS = 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const send = (m: BusyResponse): void => void process.send?.(m);

let stopped = false;
let finished: Promise<BusyReport> | null = null;

async function pollHealth(url: string, report: BusyReport): Promise<void> {
  while (!stopped) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/api/health`);
      await res.text();
      if (res.ok) report.healthMs.push(performance.now() - t0);
      else report.healthFailures += 1;
    } catch {
      report.healthFailures += 1;
    }
    await sleep(Math.max(0, HEALTH_EVERY_MS - (performance.now() - t0)));
  }
}

/** Times one piece of background work; a failure is reported, not thrown, so the others still run to their end. */
async function timedWork(report: BusyReport, name: string, work: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  try {
    await work();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    report.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}${cause}`);
  }
  return (performance.now() - t0) / 1000;
}

async function runBatch(m: Extract<BusyRequest, { type: 'start' }>, report: BusyReport): Promise<void> {
  const work = m.background;
  if (!work) return;
  const started = await call(`${m.url}/api/studies/${work.batchStudyId}/runs`, 'POST', m.cookie, {
    model: 'scripted',
    judge: 'scripted',
    maxProblems: work.batchRecords,
    seed: work.batchSeed,
  });
  const runId = started.runId as string;
  let failedPolls = 0;
  for (;;) {
    let answer: Record<string, unknown>;
    try {
      answer = await call(`${m.url}/api/runs/${runId}`, 'GET', m.cookie);
      failedPolls = 0;
    } catch (error) {
      // A kept-alive connection the server closed while it was blocked fails one poll; the run goes on regardless.
      failedPolls += 1;
      report.runPollFailures += 1;
      if (failedPolls >= MAX_FAILED_POLLS) throw error;
      await sleep(RUN_POLL_MS);
      continue;
    }
    const { run } = answer as {
      run: { status: string; progress: { total: number; done: number; failed: number } | null };
    };
    if (run.status !== 'running') {
      report.batchEpisodesDone = run.progress?.done ?? 0;
      report.batchEpisodesFailed = run.progress?.failed ?? 0;
      if (run.status !== 'completed') throw new Error(`the run ended ${run.status}`);
      return;
    }
    await sleep(RUN_POLL_MS);
  }
}

async function runImport(m: Extract<BusyRequest, { type: 'start' }>, report: BusyReport): Promise<void> {
  const work = m.background;
  if (!work) return;
  const body = readFileSync(work.importFile);
  const res = await fetch(`${m.url}/api/studies/import?study=${encodeURIComponent(work.importStudy)}`, {
    method: 'POST',
    headers: { cookie: m.cookie, 'content-type': 'application/x-ndjson' },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  report.importRecordsAdded = (JSON.parse(text) as { outcome: { recordsAdded: number } }).outcome.recordsAdded;
}

async function runAgreement(m: Extract<BusyRequest, { type: 'start' }>): Promise<void> {
  const work = m.background;
  if (!work) return;
  await call(
    `${m.url}/api/studies/${work.liveStudyId}/agreement?resamples=${work.agreementResamples}`,
    'GET',
    m.cookie,
  );
}

async function start(m: Extract<BusyRequest, { type: 'start' }>): Promise<BusyReport> {
  const report: BusyReport = {
    healthMs: [],
    healthFailures: 0,
    runPollFailures: 0,
    batchSeconds: null,
    batchEpisodesDone: 0,
    batchEpisodesFailed: 0,
    importSeconds: null,
    importRecordsAdded: 0,
    agreementSeconds: null,
    errors: [],
  };
  const health = pollHealth(m.url, report);
  if (m.background) {
    const [batch, imported, agreement] = await Promise.all([
      timedWork(report, 'batch run', () => runBatch(m, report)),
      timedWork(report, 'import', () => runImport(m, report)),
      timedWork(report, 'agreement report', () => runAgreement(m)),
    ]);
    Object.assign(report, { batchSeconds: batch, importSeconds: imported, agreementSeconds: agreement });
  }
  await health;
  return report;
}

process.on('message', (m: BusyRequest) => {
  if (m.type === 'start') {
    stopped = false;
    finished = start(m);
    send({ type: 'started' });
  } else {
    stopped = true;
    void (finished ?? Promise.reject(new Error('stop before start'))).then(
      (report) => send({ type: 'report', report }),
      (error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
  }
});
process.on('disconnect', () => process.exit(0));
