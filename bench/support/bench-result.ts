import { performance } from 'node:perf_hooks';

export interface BenchResult {
  name: string;
  description: string;
  metrics: Record<string, number>;
  /** Upper limits for some metrics; a run that exceeds one is reported as a miss. */
  targets: Record<string, number>;
}

export async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
