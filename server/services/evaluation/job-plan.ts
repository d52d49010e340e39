import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import { createRng, randomInt } from '../../../shared/stats/random.ts';

export interface Job {
  record: BenchmarkRecord;
  mode: Mode;
  userType: UserType;
}

export interface Shard {
  index: number;
  count: number;
}

/**
 * The reference samples `min(max_problems, N)` records with Python's `random.sample` under seed 42, which shuffles
 * their order. We sample the same number with our own seeded generator: reproducible run to run, but not the same
 * selection as Python's (docs/engine.md).
 */
export function sampleRecords<T>(records: T[], maxProblems: number | null, seed: number): T[] {
  if (maxProblems === null) return records;
  const pool = [...records];
  const take = Math.min(maxProblems, pool.length);
  const rng = createRng(seed);
  for (let i = 0; i < take; i++) {
    const j = i + randomInt(rng, pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, take);
}

/** Contiguous blocks, the remainder spread over the first shards, as the reference shards a run. */
export function shardOf<T>(items: T[], shard: Shard | null): T[] {
  if (shard === null) return items;
  const base = Math.floor(items.length / shard.count);
  const extra = items.length % shard.count;
  const start = shard.index * base + Math.min(shard.index, extra);
  return items.slice(start, start + base + (shard.index < extra ? 1 : 0));
}

export function jobKey(problemId: string, mode: string, userType: string): string {
  return `${problemId}\u0000${mode}\u0000${userType}`;
}

/** Every (record, mode, user type) the run should cover, in the reference's order: per record, modes in config order. */
export function planJobs(records: BenchmarkRecord[], modes: Mode[], userTypes: UserType[]): Job[] {
  const jobs: Job[] = [];
  for (const record of records) {
    for (const mode of modes) {
      if (mode === 'infer_persona') for (const userType of userTypes) jobs.push({ record, mode, userType });
      else jobs.push({ record, mode, userType: 'no_user_interaction' });
    }
  }
  return jobs;
}
