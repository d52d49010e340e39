import type { RunProgress } from '../../../shared/schemas/research.ts';
import type { UsageTotals } from '../../models/metered-provider.ts';
import type { BatchProgress } from '../evaluation/batch-run.ts';

/**
 * What the browser shows for a run: runBatch's counters (picked one by one, so nothing else of runBatch's summary,
 * such as file paths, leaks out) with the run's own model usage summed over its metered models.
 */
export function runProgress(
  batch: BatchProgress,
  usage: readonly UsageTotals[],
  elapsedMs: number,
  error?: RunProgress['error'],
): RunProgress {
  const priced = usage.filter((u) => u.costUsd !== null);
  return {
    total: batch.total,
    done: batch.done,
    failed: batch.failed,
    skipped: batch.skipped,
    running: batch.running,
    elapsedMs,
    calls: usage.reduce((n, u) => n + u.calls, 0),
    inputTokens: usage.reduce((n, u) => n + u.inputTokens, 0),
    outputTokens: usage.reduce((n, u) => n + u.outputTokens, 0),
    costUsd: priced.length === 0 ? null : priced.reduce((n, u) => n + (u.costUsd ?? 0), 0),
    ...(error ? { error } : {}),
  };
}
