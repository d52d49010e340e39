import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/config.ts';
import { startFakeOpenAiServer } from '../tests/support/fake-openai-server.ts';
import { roleResponder } from '../tests/support/role-responder.ts';
import { benchConfig } from './support/bench-config.ts';
import type { BenchResult } from './support/bench-result.ts';
import type { BusyReport, BusyRequest, BusyResponse } from './support/live-busy-protocol.ts';
import {
  actorsFor,
  askChild,
  forkTs,
  joinAll,
  LIVE_TURNS,
  percentile,
  pooledPhaseMetrics,
  runPhase,
  type PlayPattern,
} from './support/live-phase.ts';
import { behindLoopbackProxy, serveEnv, startServer } from './support/live-server-process.ts';
import { episodesEnded, prolificId, setUpLiveStudy, writeModelsFile } from './support/live-study-setup.ts';
import { verifyLiveRun } from './support/live-verify.ts';
import { writeBenchmarkFromSample } from './support/synthetic-from-sample.ts';
import { reportCpuProfile } from './support/cpu-profile-summary.ts';

/**
 * Live play beside research work (`npm run bench:live-busy`, issue 17): one `prefdisco serve`, the live load of
 * bench:live (persons joining through the invitation link, the model's turns streamed by the fake OpenAI server at
 * ~20 chunks/s) played by different persons in pairs of phases: first quiet, the baseline, then while the researcher
 * starts, over HTTP and at the same moment, a scripted batch run of 5,000 episodes, the import of a ~100 MB benchmark
 * file and the agreement report of the live study. Each busy phase gets its own run (its own seed) and its own import
 * (a new study). The figures are the busy phases' pooled reply-ack p99 over the quiet phases' (and each pair's own
 * ratio), and `/api/health` round trips polled about every 100 ms during each phase. Why pairs: a single pair's ratio
 * moved between 1.8 and 5.2 across runs of the same code, more than any change it was meant to judge. Afterwards the
 * database is checked as in bench:live: every acked reply of every phase stored exactly once.
 *
 * Sizes (bench only, bench/support/bench-config.ts): BENCH_LIVE_BUSY_SESSIONS (persons per phase, default 200),
 * BENCH_LIVE_BUSY_PAIRS (quiet and busy phases, default 3),
 * BENCH_LIVE_EPISODES (episodes each, default 2), BENCH_LIVE_BUSY_BATCH_EPISODES (default 5000),
 * BENCH_LIVE_BUSY_IMPORT_MB (default 100), BENCH_LIVE_BUSY_AGREEMENT_RESAMPLES (default 10000).
 */

const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');
const SAMPLE_RECORDS = 64;
const { chunks: CHUNKS, chunkDelayMs: CHUNK_DELAY_MS, questions: QUESTIONS } = LIVE_TURNS;
/** Batch runs play every record in three conditions (no_prompt, persona_known, infer_persona). */
const CONDITIONS = 3;
/** The issue's targets: research work costs the persons at most half again their quiet reply p99; health stays fast. */
const P99_RATIO_TARGET = 1.5;
const HEALTH_P99_TARGET_MS = 50;

function askBusy(worker: ReturnType<typeof forkTs>, request: BusyRequest): Promise<BusyResponse> {
  return askChild<BusyRequest, BusyResponse>(worker, request, 'researcher process');
}

/** A benchmark file of about `mb` MB made of the sample's records (distinct problem ids); returns its record count. */
function writeImportFile(file: string, mb: number): number {
  const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n').slice(1);
  const bytesPerRecord = lines.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0) / lines.length;
  const count = Math.max(1, Math.round((mb * 1e6) / bytesPerRecord));
  writeBenchmarkFromSample(SAMPLE, file, count);
  return count;
}

async function importFile(url: string, cookie: string, file: string, study: string): Promise<string> {
  const res = await fetch(`${url}/api/studies/import?study=${encodeURIComponent(study)}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-ndjson' },
    body: readFileSync(file),
  });
  if (!res.ok) throw new Error(`import of ${file}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { outcome: { studyId: string } }).outcome.studyId;
}

/** The server's distinct logged errors (pino JSON lines at level error or above), with counts, most frequent first. */
function serverErrors(logFile: string, limit = 5): string[] {
  const counts = new Map<string, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string; event?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 50) continue;
    const key = `${entry.msg ?? ''}${entry.event ? ` (${entry.event})` : ''}: ${entry.err?.message ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, n]) => `${n} × ${key}`);
}

/** `/api/health` figures over the phases' polls pooled. */
function healthMetrics(prefix: string, reports: readonly BusyReport[]): Record<string, number> {
  const ms = reports.flatMap((r) => r.healthMs);
  return {
    [`${prefix}_health_polls`]: ms.length,
    [`${prefix}_health_failures`]: reports.reduce((a, r) => a + r.healthFailures, 0),
    [`${prefix}_health_p50_ms`]: percentile(ms, 50),
    [`${prefix}_health_p99_ms`]: percentile(ms, 99),
    [`${prefix}_health_max_ms`]: Math.max(...ms),
  };
}

export async function liveBusyBench(workDir: string): Promise<BenchResult> {
  const config = benchConfig();
  const { sessions: n, pairs, batchEpisodes, importMb, agreementResamples } = config.liveBusy;
  const pattern: PlayPattern = {
    episodes: config.liveEpisodes,
    thinkMinMs: 1000,
    thinkMaxMs: 2000,
    rampMs: 3000,
    seed: 42,
  };
  const dir = mkdtempSync(join(workDir, 'live-busy-'));
  const batchRecords = Math.ceil(batchEpisodes / CONDITIONS);
  const batchFile = join(dir, 'batch-records.jsonl');
  writeBenchmarkFromSample(SAMPLE, batchFile, batchRecords);
  const bigFile = join(dir, 'import.jsonl');
  const importRecords = writeImportFile(bigFile, importMb);
  const importBytes = statSync(bigFile).size;

  const model = await startFakeOpenAiServer();
  model.respondWith(roleResponder({ questions: QUESTIONS, chunks: CHUNKS, chunkDelayMs: CHUNK_DELAY_MS }));
  const workers = Array.from({ length: Math.min(4, Math.max(2, Math.ceil(n / 100))) }, () =>
    forkTs('live-client-worker.ts'),
  );
  const researcher = forkTs('live-busy-worker.ts');
  const cleanup: (() => unknown)[] = [
    () => model.close(),
    ...[...workers, researcher].map((w) => () => w.connected && w.disconnect()),
  ];
  try {
    const server = await startServer(serveEnv(dir, writeModelsFile(dir, model.baseUrl), behindLoopbackProxy(n)), {
      cpuProfDir: config.liveCpuProfDir,
      logFile: join(dir, 'server.log'),
    });
    cleanup.push(() => server.stop('SIGKILL'));
    const plays = 2 * pairs * n * pattern.episodes;
    const study = await setUpLiveStudy(server.url, {
      model: 'mut',
      judgeModel: 'judge',
      playsPerActor: pattern.episodes,
      playsPerRecord: Math.ceil(plays / SAMPLE_RECORDS),
    });
    // The batch run's records are in place before the busy phase; the import during it is a second, bigger file.
    const batchStudyId = await importFile(server.url, study.researcherCookie, batchFile, 'Bench batch');

    const phase = async (
      label: string,
      run: number,
      background: Extract<BusyRequest, { type: 'start' }>['background'],
    ): Promise<{ play: Awaited<ReturnType<typeof runPhase>>; busy: BusyReport; loadAvg: number }> => {
      // Different persons in each phase: a person's quota is spent after their episodes.
      await joinAll(
        workers,
        server.url,
        study.inviteCode,
        actorsFor(n, (i) => prolificId(run, i)),
      );
      process.stdout.write(` ${label} …`);
      await askBusy(researcher, { type: 'start', url: server.url, cookie: study.researcherCookie, background });
      const play = await runPhase(workers, server.url, server.pid, pattern);
      const response = await askBusy(researcher, { type: 'stop' });
      if (response.type !== 'report') throw new Error('the researcher process sent no report');
      // Persons rate at the final answer, as in the browser: the next phase starts once the judges are done too.
      await episodesEnded(server.url, study);
      // Other work on the machine moves both phases: a phase run under a higher load than the other says little.
      return { play, busy: response.report, loadAvg: loadavg()[0] ?? 0 };
    };

    process.stdout.write(`  live-busy n=${n}, ${pairs} pairs:`);
    const quiets: Awaited<ReturnType<typeof phase>>[] = [];
    const busies: Awaited<ReturnType<typeof phase>>[] = [];
    for (let k = 1; k <= pairs; k++) {
      quiets.push(await phase(`quiet ${k}`, 2 * k - 1, null));
      busies.push(
        await phase(`busy ${k}`, 2 * k, {
          batchStudyId,
          batchRecords,
          batchSeed: k,
          importFile: bigFile,
          importStudy: `Bench import ${k}`,
          liveStudyId: study.studyId,
          agreementResamples,
        }),
      );
    }
    process.stdout.write(' done\n');
    if ((await server.stop('SIGTERM')) !== 0) throw new Error('the server did not shut down cleanly');
    reportCpuProfile(config.liveCpuProfDir, 'live-busy');

    const all = [...quiets, ...busies];
    const reports = all.flatMap((p) => p.play.reports);
    const check = verifyLiveRun(
      join(dir, 'live.sqlite'),
      reports.flatMap((r) => r.acks),
      reports.flatMap((r) => r.episodeIds),
    );
    for (const problem of check.problems) process.stdout.write(`    DB: ${problem}\n`);
    const errors = [...reports.flatMap((r) => r.errors), ...all.flatMap((p) => p.busy.errors)];
    for (const e of errors.slice(0, 5)) process.stdout.write(`    error: ${e}\n`);
    for (const e of serverErrors(join(dir, 'server.log'))) process.stdout.write(`    server: ${e}\n`);

    const q = pooledPhaseMetrics(
      'quiet',
      quiets.map((p) => p.play),
    );
    const b = pooledPhaseMetrics(
      'busy',
      busies.map((p) => p.play),
    );
    const p99 = (p: (typeof all)[number]): number =>
      percentile(
        p.play.reports.flatMap((r) => r.replyMs),
        99,
      );
    const pairRatios = busies.map((busy, i) => p99(busy) / p99(quiets[i] as typeof busy));
    const backgrounds = busies.map((p) => p.busy);
    const sumOf = (f: (r: BusyReport) => number): number => backgrounds.reduce((a, r) => a + f(r), 0);
    const medianOf = (f: (r: BusyReport) => number | null): number =>
      percentile(
        backgrounds.map((r) => f(r) ?? Number.NaN),
        50,
      );
    const backgroundDone = backgrounds.every(
      (r) =>
        r.batchEpisodesDone === CONDITIONS * batchRecords &&
        r.batchEpisodesFailed === 0 &&
        r.importRecordsAdded === importRecords &&
        r.agreementSeconds !== null &&
        r.errors.length === 0,
    );
    return {
      name: 'live-busy',
      description: `live play, ${n} persons × ${pattern.episodes} episodes per phase, ${pairs} pairs of phases: quiet, then beside a scripted batch run of ${CONDITIONS * batchRecords} episodes, a ${(importBytes / 1e6).toFixed(0)} MB import (${importRecords} records) and an agreement report (${agreementResamples} resamples), all started over HTTP at once`,
      metrics: {
        sessions: plays,
        pairs,
        ...q,
        ...b,
        ...healthMetrics(
          'quiet',
          quiets.map((p) => p.busy),
        ),
        ...healthMetrics('busy', backgrounds),
        quiet_load_avg_1m_end: Math.max(...quiets.map((p) => p.loadAvg)),
        busy_load_avg_1m_end: Math.max(...busies.map((p) => p.loadAvg)),
        p50_ratio: (b.busy_reply_p50_ms ?? 0) / (q.quiet_reply_p50_ms ?? 1),
        p99_ratio: (b.busy_reply_p99_ms ?? 0) / (q.quiet_reply_p99_ms ?? 1),
        ...Object.fromEntries(pairRatios.map((r, i) => [`pair${i + 1}_p99_ratio`, r])),
        p99_ratio_pair_median: percentile(pairRatios, 50),
        episode_p99_ratio: (b.busy_episode_p99_s ?? 0) / (q.quiet_episode_p99_s ?? 1),
        batch_episodes: sumOf((r) => r.batchEpisodesDone),
        batch_seconds: medianOf((r) => r.batchSeconds),
        import_mb: importBytes / 1e6,
        import_seconds: medianOf((r) => r.importSeconds),
        agreement_seconds: medianOf((r) => r.agreementSeconds),
        batch_progress_poll_failures: sumOf((r) => r.runPollFailures),
        background_failed: backgroundDone ? 0 : 1,
        sessions_failed: plays - (q.quiet_sessions_completed ?? 0) - (b.busy_sessions_completed ?? 0),
        replies_lost_or_duplicated: check.missing + check.duplicated + check.seqMismatch + check.unacknowledged,
        episodes_incomplete_or_gapped: check.episodesNotCompleted + check.episodesNotRated + check.episodesWithSeqGaps,
      },
      targets: {
        p99_ratio: P99_RATIO_TARGET,
        busy_health_p99_ms: HEALTH_P99_TARGET_MS,
        busy_health_failures: 0,
        background_failed: 0,
        sessions_failed: 0,
        replies_lost_or_duplicated: 0,
        episodes_incomplete_or_gapped: 0,
        quiet_refused_connects: 0,
        busy_refused_connects: 0,
      },
    };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}
