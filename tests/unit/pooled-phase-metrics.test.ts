import { describe, expect, it } from 'vitest';
import { pooledPhaseMetrics, REPLY_WINDOW_MS, type PhaseResult } from '../../bench/support/live-phase.ts';
import { emptyReport } from '../../bench/support/live-worker-protocol.ts';

/** A phase of `wall` seconds whose one worker acked `count` replies of `ms` each, spread over its first window. */
function phase(wall: number, count: number, ms: number, cpuCores: number, loopWait?: number): PhaseResult {
  return {
    wallSeconds: wall,
    benchCpuCores: 0.1,
    server: {
      cpuCores,
      cpuSeconds: cpuCores * wall,
      rssPeakMb: 100 * cpuCores,
      rssMeanMb: 50,
      machineBusyCores: 2 * cpuCores,
      ...(loopWait === undefined ? {} : { loop: { cpuCores: cpuCores / 2, waitForCpu: loopWait } }),
    },
    reports: [
      {
        ...emptyReport(),
        completed: count,
        replyMs: Array.from({ length: count }, () => ms),
        replyAt: Array.from({ length: count }, (_, i) => (i * REPLY_WINDOW_MS) / count),
      },
    ],
  };
}

describe('pooled phase metrics (bench:live-busy’s pairs)', () => {
  it('take percentiles over every phase’s replies, and weigh usage by each phase’s time', () => {
    // 98 fast replies in one phase and 2 slow ones in another: the pooled p99 is slow, neither phase's alone is both.
    const m = pooledPhaseMetrics('busy', [phase(10, 98, 2, 0.5, 0.1), phase(30, 2, 400, 1.0, 0.3)]);
    expect(m.busy_reply_p50_ms).toBe(2);
    expect(m.busy_reply_p99_ms).toBe(400);
    expect(m.busy_sessions_completed).toBe(100);
    expect(m.busy_wall_seconds).toBe(40);
    expect(m.busy_replies_per_s).toBeCloseTo(100 / 40);
    expect(m.busy_server_cpu_cores).toBeCloseTo((0.5 * 10 + 1.0 * 30) / 40);
    expect(m.busy_machine_busy_cores).toBeCloseTo((1.0 * 10 + 2.0 * 30) / 40);
    expect(m.busy_server_rss_peak_mb).toBe(100);
    expect(m.busy_loop_wait_for_cpu).toBeCloseTo((0.1 * 10 + 0.3 * 30) / 40);
  });

  it('take the 2 s windows per phase: the median of their medians and the worst of all', () => {
    const m = pooledPhaseMetrics('quiet', [phase(5, 50, 3, 0.2), phase(5, 50, 9, 0.2), phase(5, 50, 4, 0.2)]);
    expect(m.quiet_reply_p99_window_median_ms).toBe(4);
    expect(m.quiet_reply_p99_window_worst_ms).toBe(9);
  });

  it('leave the loop figures out unless every phase has them', () => {
    const m = pooledPhaseMetrics('quiet', [phase(5, 50, 3, 0.2, 0.1), phase(5, 50, 3, 0.2)]);
    expect(m.quiet_loop_wait_for_cpu).toBeUndefined();
  });
});
