import { createHash } from 'node:crypto';
import { createRng } from '../../shared/stats/random.ts';
import type { ChatRequestBody, PlannedReply } from './fake-openai-server.ts';

/** The provider faults injected under load: rate limiting, a server error, a call that never answers, a cut stream. */
export const FAULT_KINDS = ['rate_limited', 'server_error', 'hang', 'cut'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultCounts {
  calls: number;
  faults: Record<FaultKind, number>;
}

/**
 * Wraps a responder of the fake OpenAI server so that a seeded share `rate` of calls fails. The kinds take turns
 * (429 with Retry-After: 1, 500, a hang the client must time out, a stream destroyed after its first piece), so even a
 * short run gets every kind. `counts` is what was injected, for comparing with what the server reports.
 *
 * A retry sends the identical request, so the same call is failed at most `maxPerCall` times: with more retries than
 * that configured, every call gets through, and a session that still fails points at the app, not at bad luck.
 */
export function faultyResponder(
  inner: (body: ChatRequestBody) => PlannedReply,
  rate: number,
  seed: number,
  maxPerCall = 2,
): { respond: (body: ChatRequestBody) => PlannedReply; counts: FaultCounts } {
  const rng = createRng(seed);
  const failedBefore = new Map<string, number>();
  const counts: FaultCounts = { calls: 0, faults: { rate_limited: 0, server_error: 0, hang: 0, cut: 0 } };
  let next = 0;
  const respond = (body: ChatRequestBody): PlannedReply => {
    counts.calls += 1;
    if (rate <= 0 || rng() >= rate) return inner(body);
    const call = createHash('sha1').update(JSON.stringify(body)).digest('base64');
    const before = failedBefore.get(call) ?? 0;
    if (before >= maxPerCall) return inner(body);
    failedBefore.set(call, before + 1);
    const kind = FAULT_KINDS[next++ % FAULT_KINDS.length] as FaultKind;
    counts.faults[kind] += 1;
    switch (kind) {
      case 'rate_limited':
        return { kind: 'status', status: 429, retryAfter: '1', message: 'injected: rate limited' };
      case 'server_error':
        return { kind: 'status', status: 500, message: 'injected: server error' };
      case 'hang':
        return { kind: 'hang' };
      case 'cut':
        return { kind: 'destroy' };
    }
  };
  return { respond, counts };
}

export function totalFaults(counts: FaultCounts): number {
  return FAULT_KINDS.reduce((sum, k) => sum + counts.faults[k], 0);
}
