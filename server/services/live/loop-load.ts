import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How often the loop's utilization is sampled: short enough to follow a burst, long enough to be cheap. */
const SAMPLE_EVERY_MS = 250;

let previous: EventLoopUtilization | null = null;
let latest = 0;
let sampler: NodeJS.Timeout | null = null;

/**
 * The share of the last quarter second this thread's event loop spent running code rather than waiting for I/O
 * (Node's event-loop utilization, 0–1). The event loop is one per thread, so is this measure: one sampler serves every
 * caller, started on the first call and never keeping the process alive. 0 until the first sample.
 */
export function loopUtilization(): number {
  if (!sampler) {
    previous = performance.eventLoopUtilization();
    sampler = setInterval(() => {
      const now = performance.eventLoopUtilization();
      latest = previous ? performance.eventLoopUtilization(now, previous).utilization : 0;
      previous = now;
    }, SAMPLE_EVERY_MS);
    sampler.unref();
  }
  return latest;
}
