import { setTimeout as delay } from 'node:timers/promises';
import { ModelCallError } from '../model-provider.ts';
import { AttemptFailure } from './classify-error.ts';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Real, cancellable sleep: rejects as soon as the signal fires. */
export const abortableSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined);

/** A server asking for an hour's pause should not hold a study hostage; beyond this we wait only this long. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles with each retry. */
  baseDelayMs: number;
  sleep: Sleep;
  /** Uniform in [0, 1); for the jitter. */
  random: () => number;
}

/** Backoff before retry number `retry` (1-based): base × 2^(retry−1) × U(0.5, 1.5), the reference's jitter. */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'random'>, retry: number): number {
  return policy.baseDelayMs * 2 ** (retry - 1) * (0.5 + policy.random());
}

export interface RetryHooks {
  /** Called before each backoff sleep. */
  onRetry?: (failure: AttemptFailure, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries run out. `attempt` must throw AttemptFailure;
 * anything else is a bug and propagates untouched. The caller's signal cancels a backoff sleep immediately.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (attemptNumber: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<{ value: T; attempts: number }> {
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      if (!(error instanceof AttemptFailure)) throw error;
      const made = error.options.beforeRequest ? n - 1 : n;
      if (!error.options.retryable || n > policy.maxRetries) throw toModelCallError(error, made);
      const retryAfter = Math.min(error.options.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
      const wait = Math.max(backoffDelay(policy, n), retryAfter);
      hooks.onRetry?.(error, wait);
      try {
        if (signal?.aborted) throw signal.reason;
        await policy.sleep(wait, signal);
      } catch {
        throw new ModelCallError('aborted', `cancelled after ${plural(made, 'attempt')}`, made);
      }
      if (signal?.aborted) throw new ModelCallError('aborted', `cancelled after ${plural(made, 'attempt')}`, made);
    }
  }
}

export function toModelCallError(failure: AttemptFailure, attempts: number): ModelCallError {
  const head = attempts > 0 ? `${failure.summary} after ${plural(attempts, 'attempt')}` : failure.summary;
  const message = failure.options.detail ? `${head}: ${failure.options.detail}` : head;
  return new ModelCallError(failure.code, message, attempts, failure.options.status);
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
