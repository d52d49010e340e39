import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';
import { sampleProcess, type ProcUsage } from './proc-sampler.ts';
import type { WorkerActor, WorkerReport, WorkerRequest, WorkerResponse } from './live-worker-protocol.ts';

/** The live bench's client side: worker processes, and one measured phase of play against one server. */

export function forkTs(file: string, env: Record<string, string> = {}): ChildProcess {
  return fork(join(import.meta.dirname, file), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export function ask(worker: ChildProcess, request: WorkerRequest): Promise<WorkerResponse> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: WorkerResponse) => (m.type === 'failed' ? reject(new Error(m.error)) : resolve(m)));
    worker.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
    worker.send(request, (error) => error && reject(error));
  });
}

/** Person i's own address behind the proxy: 10.x.y.z, unique for up to 16 million people. */
export function actorsFor(count: number, pid: (i: number) => string): WorkerActor[] {
  return Array.from({ length: count }, (_, i) => ({
    prolificPid: pid(i),
    forwardedFor: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  }));
}

export async function joinAll(
  workers: ChildProcess[],
  url: string,
  inviteCode: string,
  actors: WorkerActor[],
): Promise<void> {
  await Promise.all(
    workers.map((w, k) =>
      ask(w, { type: 'join', url, inviteCode, actors: actors.filter((_, i) => i % workers.length === k) }),
    ),
  );
}

export interface PhaseResult {
  wallSeconds: number;
  server: ProcUsage;
  /** CPU of this (the bench) process over the phase: it serves the fake model. */
  benchCpuCores: number;
  reports: WorkerReport[];
}

export interface PlayPattern {
  episodes: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  rampMs: number;
  seed: number;
}

/** Plays every worker's persons against `url` while sampling the server process `pid`. */
export async function runPhase(
  workers: ChildProcess[],
  url: string,
  pid: number,
  pattern: PlayPattern,
): Promise<PhaseResult> {
  const sampler = sampleProcess(pid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const responses = await Promise.all(
    workers.map((w, k) => ask(w, { type: 'play', url, ...pattern, seed: pattern.seed + k })),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  const server = sampler.stop();
  const cpu = process.cpuUsage(cpu0);
  const reports = responses.flatMap((r) => (r.type === 'done' ? [r.report] : []));
  return { wallSeconds, server, benchCpuCores: (cpu.user + cpu.system) / 1e6 / wallSeconds, reports };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The span of the windows `replyWindows` cuts a phase into. */
export const REPLY_WINDOW_MS = 2000;

/**
 * The reply p99 of each `REPLY_WINDOW_MS` of a phase (windows with fewer than 20 replies left out: their p99 would
 * be their maximum), as the median and the worst window. Why: a p99 over the whole phase does not say whether every
 * moment is a little slow or a few moments are very slow; the two call for different fixes.
 */
export function replyWindows(reports: readonly WorkerReport[]): { medianMs: number; worstMs: number } {
  const windows = new Map<number, number[]>();
  for (const r of reports)
    r.replyAt.forEach((at, i) => {
      const key = Math.floor(at / REPLY_WINDOW_MS);
      const list = windows.get(key) ?? [];
      list.push(r.replyMs[i] as number);
      windows.set(key, list);
    });
  const p99s = [...windows.values()].filter((w) => w.length >= 20).map((w) => percentile(w, 99));
  return { medianMs: percentile(p99s, 50), worstMs: p99s.length ? Math.max(...p99s) : Number.NaN };
}

/** The figures of one phase, named for BenchResult metrics. */
export function phaseMetrics(prefix: string, r: PhaseResult): Record<string, number> {
  const ms = r.reports.flatMap((x) => x.replyMs);
  const windows = replyWindows(r.reports);
  const sum = (f: (x: WorkerReport) => number): number => r.reports.reduce((a, x) => a + f(x), 0);
  return {
    [`${prefix}_sessions_completed`]: sum((x) => x.completed),
    [`${prefix}_replies_per_s`]: ms.length / r.wallSeconds,
    [`${prefix}_chunks_per_s`]: sum((x) => x.chunks) / r.wallSeconds,
    [`${prefix}_refused_connects`]: sum((x) => x.refusedConnects),
    [`${prefix}_connect_p99_ms`]: percentile(
      r.reports.flatMap((x) => x.connectMs),
      99,
    ),
    [`${prefix}_reply_p50_ms`]: percentile(ms, 50),
    [`${prefix}_reply_p95_ms`]: percentile(ms, 95),
    [`${prefix}_reply_p99_ms`]: percentile(ms, 99),
    [`${prefix}_reply_p99_window_median_ms`]: windows.medianMs,
    [`${prefix}_reply_p99_window_worst_ms`]: windows.worstMs,
    [`${prefix}_server_cpu_cores`]: r.server.cpuCores,
    [`${prefix}_server_rss_peak_mb`]: r.server.rssPeakMb,
    [`${prefix}_machine_busy_cores`]: r.server.machineBusyCores,
    ...(r.server.loop
      ? {
          [`${prefix}_loop_cpu_cores`]: r.server.loop.cpuCores,
          [`${prefix}_loop_wait_for_cpu`]: r.server.loop.waitForCpu,
        }
      : {}),
    [`${prefix}_wall_seconds`]: r.wallSeconds,
    [`${prefix}_client_loop_p99_ms`]: Math.max(...r.reports.map((x) => x.loopDelayP99Ms)),
    [`${prefix}_episode_p50_s`]:
      percentile(
        r.reports.flatMap((x) => x.episodeMs),
        50,
      ) / 1000,
    [`${prefix}_episode_p99_s`]:
      percentile(
        r.reports.flatMap((x) => x.episodeMs),
        99,
      ) / 1000,
  };
}

/** The live benches' model turn: questions before the answer, each turn streamed in `chunks` pieces this far apart. */
export const LIVE_TURNS = { questions: 3, chunks: 20, chunkDelayMs: 50 } as const;

/**
 * The bare Socket.IO echo server (the physical reference) streaming the same turns; killed by `cleanup` whatever
 * happens later.
 */
export async function startEchoServer(cleanup: (() => unknown)[]): Promise<{ url: string; pid: number; stop(): void }> {
  const echo = forkTs('live-echo-server.ts', {
    ECHO_CHUNKS: String(LIVE_TURNS.chunks),
    ECHO_CHUNK_DELAY_MS: String(LIVE_TURNS.chunkDelayMs),
    ECHO_QUESTIONS: String(LIVE_TURNS.questions),
  });
  cleanup.push(() => echo.kill('SIGKILL'));
  const [{ port }] = (await once(echo, 'message')) as [{ port: number }];
  return { url: `http://127.0.0.1:${port}`, pid: echo.pid ?? -1, stop: () => echo.kill('SIGTERM') };
}
