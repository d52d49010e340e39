import { z } from 'zod';

/** Settings of the benchmarks, parsed once from the environment (the benches' counterpart of server/config.ts). */
const BenchEnvSchema = z.object({
  /** Comma list of concurrent actor counts for bench:live, e.g. "50,200,500". */
  BENCH_LIVE_SESSIONS: z.string().regex(/^\d+(,\d+)*$/, 'a comma list of positive integers').default('50'),
  /** Episodes each actor plays in a row. */
  BENCH_LIVE_EPISODES: z.coerce.number().int().min(1).max(100).default(2),
});

export interface BenchConfig {
  liveSessions: number[];
  liveEpisodes: number;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const parsed = BenchEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid bench settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    liveSessions: parsed.data.BENCH_LIVE_SESSIONS.split(',').map(Number).filter((n) => n > 0),
    liveEpisodes: parsed.data.BENCH_LIVE_EPISODES,
  };
}
