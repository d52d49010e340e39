import { describe, expect, it } from 'vitest';
import { REPLY_WINDOW_MS, replyWindows } from '../../bench/support/live-phase.ts';
import { emptyReport, type WorkerReport } from '../../bench/support/live-worker-protocol.ts';

/** A worker's report with only the reply figures set: `replies` as [when acked, round trip ms]. */
function report(replies: [number, number][]): WorkerReport {
  return { ...emptyReport(), replyMs: replies.map(([, ms]) => ms), replyAt: replies.map(([at]) => at) };
}

/** `count` replies of `ms` each, spread over the window that starts `window` windows after 0. */
const replies = (window: number, count: number, ms: number): [number, number][] =>
  Array.from({ length: count }, (_, i) => [window * REPLY_WINDOW_MS + (i * REPLY_WINDOW_MS) / count, ms]);

describe('the live benches’ reply windows', () => {
  it('take each window’s p99 across workers, then the median window and the worst', () => {
    // Three windows of 100 replies: fast, fast with one slow reply in a hundred (its p99 is the 99th value: still
    // fast), and one where two in a hundred are slow (its p99 is slow). Split across two workers.
    const w0 = replies(0, 100, 2);
    const w1 = [...replies(1, 99, 3), [REPLY_WINDOW_MS + 1, 500] as [number, number]];
    const w2 = [...replies(2, 98, 4), ...replies(2, 2, 300)];
    const out = replyWindows([report([...w0, ...w1.slice(0, 50)]), report([...w1.slice(50), ...w2])]);
    expect(out).toEqual({ medianMs: 3, worstMs: 300 });
  });

  it('leave out windows of fewer than 20 replies, whose p99 would be their slowest reply', () => {
    const out = replyWindows([report([...replies(0, 40, 5), ...replies(1, 19, 900), ...replies(2, 20, 7)])]);
    // Two windows count; the median is by nearest rank, as every percentile the benches print: the lower of the two.
    expect(out).toEqual({ medianMs: 5, worstMs: 7 });
  });

  it('are not a number when no window has enough replies', () => {
    const out = replyWindows([report(replies(0, 5, 1))]);
    expect(out.medianMs).toBeNaN();
    expect(out.worstMs).toBeNaN();
  });
});
