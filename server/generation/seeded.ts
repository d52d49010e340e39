import { createHash } from 'node:crypto';
import { createRng, randomInt, type Rng } from '../../shared/stats/random.ts';

/**
 * Every random choice of a generation run comes from its own generator derived from the run's seed and a label
 * ("sample", "personas:3", "keep:problem_3_x"…), so one choice never shifts another: adding a persona or changing
 * the concurrency leaves every other draw as it was.
 */
export function rngFor(seed: number, label: string): Rng {
  const digest = createHash('sha256').update(`${seed}:${label}`).digest();
  return createRng(digest.readUInt32BE(0));
}

/** `k` items drawn without replacement (a partial Fisher–Yates shuffle), in the order drawn. */
export function sampleWithoutReplacement<T>(items: readonly T[], k: number, rng: Rng): T[] {
  const pool = [...items];
  const take = Math.min(k, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + randomInt(rng, pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, take);
}
