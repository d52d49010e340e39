import { setTimeout as sleep } from 'node:timers/promises';

/** How long a live episode waits for storage to work again before it fails with `storage_failed` (2 minutes). */
export const STORAGE_RETRY_WINDOW_MS = 120_000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/** The wait before retry number `attempt` (0-based): 0.5 s doubling to at most 10 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 20));
}

/** Waits `ms`, or less when `signal` aborts (the caller checks the signal afterwards). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}

/**
 * Runs `write` until it succeeds, with backoff, for as long as `signal` allows: what a failed episode must still get
 * into storage (its episode_failed event, its summary) once storage works again. Resolves true once written, false
 * when `signal` aborted first (server shutdown: the episode is still 'running' in storage and is healed at the next
 * start). `onError` sees each failure (logged by the caller, once per failure streak if it likes).
 */
export async function keepTrying(
  write: () => Promise<void>,
  signal: AbortSignal,
  onError: (error: unknown, attempt: number) => void,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) return false;
    try {
      await write();
      return true;
    } catch (error) {
      onError(error, attempt);
      await pause(backoffDelay(attempt), signal);
    }
  }
}
