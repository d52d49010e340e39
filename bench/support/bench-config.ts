import { z } from 'zod';

/** Settings of the benchmarks, parsed once from the environment (the benches' counterpart of server/config.ts). */
const BenchEnvSchema = z.object({
  /** Comma list of concurrent actor counts for bench:live, e.g. "50,200,500". */
  BENCH_LIVE_SESSIONS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma list of positive integers')
    .default('50'),
  /** Episodes each actor plays in a row. */
  BENCH_LIVE_EPISODES: z.coerce.number().int().min(1).max(100).default(2),
  /** Share of model calls the fake model server fails (429 with Retry-After, 500, hang, cut stream), 0–0.5: in
   *  bench:live when set (default none), in bench:live-faults always (default 0.1). */
  BENCH_LIVE_FAULT_RATE: z.coerce.number().min(0).max(0.5).optional(),
  /** Comma list of concurrent actor counts for bench:live-faults. */
  BENCH_LIVE_FAULT_SESSIONS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma list of positive integers')
    .default('200'),
  /** Comma list of concurrent actor counts for bench:live-nodes (each size: one SQLite node, then the nodes on
   *  PostgreSQL, then the echo server). */
  BENCH_LIVE_NODES_SESSIONS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma list of positive integers')
    .default('200'),
  /** Comma list of app node counts serving one PostgreSQL database in bench:live-nodes, each a phase of its own
   *  (1–4 nodes each; "2,3" measures what a third node adds). */
  BENCH_LIVE_NODES_COUNTS: z
    .string()
    .regex(/^[1-4](,[1-4])*$/, 'a comma list of node counts from 1 to 4')
    .default('2,3'),
  /**
   * bench:live: after the echo phase, play the echo server once more beside this many CPU burners (each about half a
   * core at the server's priority, in 3 ms bursts; bench/support/cpu-burner.ts), 0 (default) for none. Its
   * `echo_beside_` figures say what same-priority background work costs even a bare Socket.IO server.
   */
  BENCH_LIVE_ECHO_BESIDE: z.coerce.number().int().min(0).max(8).default(0),
  /**
   * bench:live: 1 has a researcher keep the console's Live tab open through the app phase (its three reads every 3 s,
   * bench/support/live-monitor.ts), as a study's researcher does; its `monitor_` figures are the researcher's waits.
   */
  BENCH_LIVE_MONITOR: z.enum(['0', '1']).default('0'),
  /** A directory: the live server runs with `node --cpu-prof` and writes its profile there on shutdown. */
  BENCH_LIVE_CPU_PROF: z.string().min(1).optional(),
  /** Persons playing in bench:live-busy (each phase, quiet and busy). */
  BENCH_LIVE_BUSY_SESSIONS: z.coerce.number().int().min(1).max(5000).default(200),
  /**
   * Quiet and busy phases bench:live-busy plays, one after the other (quiet, busy, quiet, busy …): its ratios are over
   * the pooled phases of each kind, so that one phase's luck with the machine moves them less.
   */
  BENCH_LIVE_BUSY_PAIRS: z.coerce.number().int().min(1).max(10).default(3),
  /** Episodes of the scripted batch run bench:live-busy starts beside live play (3 conditions per record). */
  BENCH_LIVE_BUSY_BATCH_EPISODES: z.coerce.number().int().min(3).max(100_000).default(5000),
  /** Size of the benchmark file bench:live-busy imports beside live play, MB. */
  BENCH_LIVE_BUSY_IMPORT_MB: z.coerce.number().min(1).max(500).default(100),
  /** Bootstrap resamples of the agreement report bench:live-busy requests beside live play (the API allows 10,000). */
  BENCH_LIVE_BUSY_AGREEMENT_RESAMPLES: z.coerce.number().int().min(1).max(10_000).default(10_000),
  /** Cold loads per participant page and profile in bench:first-paint (the median is reported). */
  BENCH_FIRST_PAINT_LOADS: z.coerce.number().int().min(1).max(50).default(5),
});

export interface BenchConfig {
  liveSessions: number[];
  liveEpisodes: number;
  liveFaultRate: number | null;
  liveFaultSessions: number[];
  liveCpuProfDir: string | null;
  liveMonitor: boolean;
  liveEchoBeside: number;
  liveNodes: { sessions: number[]; nodeCounts: number[] };
  firstPaintLoads: number;
  liveBusy: { sessions: number; pairs: number; batchEpisodes: number; importMb: number; agreementResamples: number };
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const parsed = BenchEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `invalid bench settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return {
    liveSessions: parsed.data.BENCH_LIVE_SESSIONS.split(',')
      .map(Number)
      .filter((n) => n > 0),
    liveEpisodes: parsed.data.BENCH_LIVE_EPISODES,
    liveFaultRate: parsed.data.BENCH_LIVE_FAULT_RATE ?? null,
    liveFaultSessions: parsed.data.BENCH_LIVE_FAULT_SESSIONS.split(',')
      .map(Number)
      .filter((n) => n > 0),
    liveCpuProfDir: parsed.data.BENCH_LIVE_CPU_PROF ?? null,
    liveMonitor: parsed.data.BENCH_LIVE_MONITOR === '1',
    liveEchoBeside: parsed.data.BENCH_LIVE_ECHO_BESIDE,
    liveNodes: {
      sessions: parsed.data.BENCH_LIVE_NODES_SESSIONS.split(',')
        .map(Number)
        .filter((n) => n > 0),
      nodeCounts: [...new Set(parsed.data.BENCH_LIVE_NODES_COUNTS.split(',').map(Number))],
    },
    firstPaintLoads: parsed.data.BENCH_FIRST_PAINT_LOADS,
    liveBusy: {
      sessions: parsed.data.BENCH_LIVE_BUSY_SESSIONS,
      pairs: parsed.data.BENCH_LIVE_BUSY_PAIRS,
      batchEpisodes: parsed.data.BENCH_LIVE_BUSY_BATCH_EPISODES,
      importMb: parsed.data.BENCH_LIVE_BUSY_IMPORT_MB,
      agreementResamples: parsed.data.BENCH_LIVE_BUSY_AGREEMENT_RESAMPLES,
    },
  };
}
