import type { RunInfo } from '../../../../../shared/schemas/research.ts';

export interface RunNumbers {
  total: number;
  /** Finished either way, including episodes skipped because an earlier run had them. */
  finished: number;
  percent: number;
  /** Milliseconds to go at the pace so far; null before the first episode ends or after the run. */
  etaMs: number | null;
}

/** Progress, and the time left at this run's own pace (skipped episodes cost nothing, so they do not count). */
export function runNumbers(run: RunInfo): RunNumbers {
  const p = run.progress;
  if (!p) return { total: 0, finished: 0, percent: 0, etaMs: null };
  const finished = p.done + p.failed + p.skipped;
  const worked = p.done + p.failed;
  const left = Math.max(0, p.total - finished);
  const etaMs = run.status === 'running' && worked > 0 && p.elapsedMs > 0 ? (left * p.elapsedMs) / worked : null;
  return { total: p.total, finished, percent: p.total > 0 ? Math.min(100, (finished / p.total) * 100) : 0, etaMs };
}

export const STATUS_COLORS = {
  running: 'info',
  completed: 'success',
  interrupted: 'warning',
  failed: 'error',
} as const satisfies Record<RunInfo['status'], 'info' | 'success' | 'warning' | 'error'>;

export function usd(value: number | null): string {
  return value === null ? 'no price set' : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}
