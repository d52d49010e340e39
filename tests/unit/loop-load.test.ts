import { describe, expect, it } from 'vitest';
import { loopUtilization } from '../../server/services/live/loop-load.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps this thread's loop running code for `ms` without a break, in slices that let timers in between. */
async function busy(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const slice = Date.now() + 200;
    while (Date.now() < slice) {
      // Spinning on purpose: the loop is busy and has no I/O to wait for.
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('loopUtilization', () => {
  it('is high while the loop runs code without a break and low once it waits', async () => {
    loopUtilization();
    await busy(1200);
    const whileBusy = loopUtilization();
    await sleep(1200);
    const whileIdle = loopUtilization();
    // The loop's own measure of active time against idle time, not CPU: a loaded machine moves neither much.
    expect(whileBusy).toBeGreaterThan(0.8);
    expect(whileIdle).toBeLessThan(0.3);
  });
});
