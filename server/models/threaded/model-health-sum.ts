import type { ModelErrorCode, ModelHealth } from '../model-provider.ts';

export const NO_HEALTH: ModelHealth = Object.freeze({
  calls: 0,
  retries: 0,
  failedCalls: 0,
  failedAttempts: Object.freeze({}),
  lastFailure: null,
});

/** Two health reports as one: a model's counts on a thread that died, plus those of the thread that replaced it. */
export function addHealth(a: ModelHealth, b: ModelHealth): ModelHealth {
  const failedAttempts: Partial<Record<ModelErrorCode, number>> = { ...a.failedAttempts };
  for (const [code, n] of Object.entries(b.failedAttempts) as [ModelErrorCode, number][])
    failedAttempts[code] = (failedAttempts[code] ?? 0) + n;
  const last = b.lastFailure ?? a.lastFailure;
  return {
    calls: a.calls + b.calls,
    retries: a.retries + b.retries,
    failedCalls: a.failedCalls + b.failedCalls,
    failedAttempts,
    lastFailure: last && { ...last },
  };
}
