import type { ChildProcess } from 'node:child_process';
import { ask, type PhaseResult, type PlayPattern } from './live-phase.ts';
import { clusterCpu } from './postgres-cpu.ts';
import { sampleProcess, type ProcUsage } from './proc-sampler.ts';
import type { WorkerActor } from './live-worker-protocol.ts';

/**
 * The live bench's phases over several app nodes: worker k's persons join and play on node k mod nodes, so each
 * person's socket stays on one node, as sticky sessions at a proxy would keep it. Every node process and, when given,
 * the whole PostgreSQL cluster are sampled from /proc over the phase.
 */

export interface SpreadPhaseResult extends PhaseResult {
  /** Each node's own usage; `server` (read by phaseMetrics) is their sum. */
  nodes: ProcUsage[];
  /** CPU seconds per wall second of all PostgreSQL processes, and how many there were at the end. */
  postgres: { cpuCores: number; processes: number } | null;
}

/** Each worker joins its share of the persons through its own node's URL. */
export async function joinSpread(
  workers: ChildProcess[],
  urls: readonly string[],
  inviteCode: string,
  actors: WorkerActor[],
): Promise<void> {
  await Promise.all(
    workers.map((w, k) =>
      ask(w, {
        type: 'join',
        url: urls[k % urls.length] ?? '',
        inviteCode,
        actors: actors.filter((_, i) => i % workers.length === k),
      }),
    ),
  );
}

function sum(usages: ProcUsage[]): ProcUsage {
  const add = (f: (u: ProcUsage) => number): number => usages.reduce((a, u) => a + f(u), 0);
  return {
    cpuCores: add((u) => u.cpuCores),
    cpuSeconds: add((u) => u.cpuSeconds),
    // Sums of each node's peak and mean: the memory the nodes need together (an upper bound for the peak).
    rssPeakMb: add((u) => u.rssPeakMb),
    rssMeanMb: add((u) => u.rssMeanMb),
    machineBusyCores: usages[0]?.machineBusyCores ?? 0,
  };
}

export async function runSpreadPhase(
  workers: ChildProcess[],
  urls: readonly string[],
  pids: readonly number[],
  pattern: PlayPattern,
  postmaster: number | null,
): Promise<SpreadPhaseResult> {
  const samplers = pids.map((pid) => sampleProcess(pid));
  const pg0 = postmaster === null ? null : clusterCpu(postmaster);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const responses = await Promise.all(
    workers.map((w, k) =>
      ask(w, { type: 'play', url: urls[k % urls.length] ?? '', ...pattern, seed: pattern.seed + k }),
    ),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  const nodes = samplers.map((s) => s.stop());
  const pg1 = postmaster === null ? null : clusterCpu(postmaster);
  const cpu = process.cpuUsage(cpu0);
  return {
    wallSeconds,
    server: sum(nodes),
    nodes,
    postgres:
      pg0 && pg1 ? { cpuCores: (pg1.cpuSeconds - pg0.cpuSeconds) / wallSeconds, processes: pg1.processes } : null,
    benchCpuCores: (cpu.user + cpu.system) / 1e6 / wallSeconds,
    reports: responses.flatMap((r) => (r.type === 'done' ? [r.report] : [])),
  };
}
