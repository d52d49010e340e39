import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { attemptSignal } from '../../server/models/http/attempt-signal.ts';

describe('attemptSignal', () => {
  it('aborts with the caller’s reason when the caller cancels, not as a timeout', () => {
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 60_000);
    expect(attempt.signal.aborted).toBe(false);
    caller.abort(new Error('episode ended'));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('episode ended');
    expect(attempt.timedOut()).toBe(false);
    attempt.end();
  });

  it('aborts with a TimeoutError once its time is up, and says so', async () => {
    const attempt = attemptSignal(new AbortController().signal, 20);
    await sleep(60);
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(attempt.timedOut()).toBe(true);
    attempt.end();
  });

  it('after end(), neither the timer nor the caller aborts it', async () => {
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 20);
    attempt.end();
    caller.abort();
    await sleep(60);
    expect(attempt.signal.aborted).toBe(false);
    expect(attempt.timedOut()).toBe(false);
  });

  it('starts aborted when the caller already is; works without a caller', () => {
    const caller = new AbortController();
    caller.abort(new Error('before'));
    const attempt = attemptSignal(caller.signal, 60_000);
    expect(attempt.signal.aborted).toBe(true);
    attempt.end();
    const alone = attemptSignal(undefined, 60_000);
    expect(alone.signal.aborted).toBe(false);
    alone.end();
  });
});
