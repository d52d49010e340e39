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
  /** A directory: the live server runs with `node --cpu-prof` and writes its profile there on shutdown. */
  BENCH_LIVE_CPU_PROF: z.string().min(1).optional(),
});

export interface BenchConfig {
  liveSessions: number[];
  liveEpisodes: number;
  liveFaultRate: number | null;
  liveFaultSessions: number[];
  liveCpuProfDir: string | null;
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
  };
}
