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

/**
 * Sends `request` to a child process and resolves with its next message (a `failed` one rejects). Its listeners are
 * removed once it settles, so a bench that asks the same process many times does not pile them up.
 */
export function askChild<Req extends object, Res extends { type: string }>(
  child: ChildProcess,
  request: Req,
  name = 'worker',
): Promise<Exclude<Res, { type: 'failed' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Res): void => {
      done();
      if (m.type === 'failed') reject(new Error((m as { error?: string }).error ?? 'failed'));
      else resolve(m as Exclude<Res, { type: 'failed' }>);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`${name} exited (${code})`));
    };
    const done = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
    child.send(request, (error) => {
      if (!error) return;
      done();
      reject(error);
    });
  });
}

export function ask(worker: ChildProcess, request: WorkerRequest): Promise<WorkerResponse> {
  return askChild<WorkerRequest, WorkerResponse>(worker, request);
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
  const firstText = r.reports.flatMap((x) => x.firstTextMs);
  const windows = replyWindows(r.reports);
  const sum = (f: (x: WorkerReport) => number): number => r.reports.reduce((a, x) => a + f(x), 0);
  return {
    [`${prefix}_sessions_completed`]: sum((x) => x.completed),
    [`${prefix}_replies_per_s`]: ms.length / r.wallSeconds,
    [`${prefix}_chunks_per_s`]: sum((x) => x.chunks) / r.wallSeconds,
    // Where a person's episode time goes beyond the think times and the streams: waiting for the model's first text.
    [`${prefix}_first_text_p50_ms`]: percentile(firstText, 50),
    [`${prefix}_first_text_p99_ms`]: percentile(firstText, 99),
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

/**
 * Several phases of the same kind as one: their replies, episodes and connects pooled (so a percentile is taken over
 * all of them), wall time summed, the server's usage averaged over that time (RSS peak: the highest). The 2 s windows'
 * figures are taken per phase (a window's times are relative to its phase), then the median of the medians and the
 * worst window of all.
 */
export function pooledPhaseMetrics(prefix: string, phases: readonly PhaseResult[]): Record<string, number> {
  const wall = phases.reduce((a, p) => a + p.wallSeconds, 0);
  const mean = (f: (u: ProcUsage) => number): number =>
    phases.reduce((a, p) => a + f(p.server) * p.wallSeconds, 0) / wall;
  const loops = phases.map((p) => p.server.loop);
  const server: ProcUsage = {
    cpuCores: mean((u) => u.cpuCores),
    cpuSeconds: phases.reduce((a, p) => a + p.server.cpuSeconds, 0),
    rssPeakMb: Math.max(...phases.map((p) => p.server.rssPeakMb)),
    rssMeanMb: mean((u) => u.rssMeanMb),
    machineBusyCores: mean((u) => u.machineBusyCores),
    ...(loops.every((l) => l !== undefined)
      ? { loop: { cpuCores: mean((u) => u.loop?.cpuCores ?? 0), waitForCpu: mean((u) => u.loop?.waitForCpu ?? 0) } }
      : {}),
  };
  const pooled: PhaseResult = {
    wallSeconds: wall,
    server,
    benchCpuCores: phases.reduce((a, p) => a + p.benchCpuCores * p.wallSeconds, 0) / wall,
    reports: phases.flatMap((p) => p.reports),
  };
  const windows = phases.map((p) => replyWindows(p.reports));
  return {
    ...phaseMetrics(prefix, pooled),
    [`${prefix}_reply_p99_window_median_ms`]: percentile(
      windows.map((w) => w.medianMs),
      50,
    ),
    [`${prefix}_reply_p99_window_worst_ms`]: Math.max(...windows.map((w) => w.worstMs)),
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
