import { z } from 'zod';

/** Settings of bench:fuzz, parsed once from the environment (kept apart from bench-config.ts, which the live bench owns). */
const FuzzEnvSchema = z.object({
  /** Cases in all: 40% HTTP, 40% socket, 20% benchmark files. */
  BENCH_FUZZ_CASES: z.coerce.number().int().min(10).max(10_000_000).default(20_000),
  /** The run's seed; a failure prints it with its case index (docs/security.md, Fuzzing). */
  BENCH_FUZZ_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(20_260_101),
});

export function fuzzBenchConfig(env: NodeJS.ProcessEnv = process.env): { cases: number; seed: number } {
  const parsed = FuzzEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `invalid bench settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { cases: parsed.data.BENCH_FUZZ_CASES, seed: parsed.data.BENCH_FUZZ_SEED };
}
