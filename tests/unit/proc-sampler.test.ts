import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { mainThreadSchedNs, sampleProcess } from '../../bench/support/proc-sampler.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A process whose main thread either spins or sleeps for `ms`, then exits; resolves once it has started. */
async function child(kind: 'spin' | 'sleep', ms: number): Promise<{ pid: number; exited: Promise<unknown> }> {
  const code =
    kind === 'spin'
      ? `process.stdout.write('go\\n'); const end = Date.now() + ${ms}; while (Date.now() < end);`
      : `process.stdout.write('go\\n'); setTimeout(() => {}, ${ms});`;
  const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(p.stdout, 'data');
  return { pid: p.pid ?? -1, exited: once(p, 'exit') };
}

// The bench reads how much the server's event loop ran and how long it waited for a core (bench/support/live-phase.ts).
describe.runIf(mainThreadSchedNs(process.pid) !== null)('the main thread scheduler figures', () => {
  it('a spinning loop is running or waiting for a core nearly all the time, a sleeping one almost never', async () => {
    const spin = await child('spin', 1500);
    const spinning = sampleProcess(spin.pid);
    await sleep(600);
    const busy = spinning.stop().loop;
    await spin.exited;

    const nap = await child('sleep', 1500);
    await sleep(100);
    const sleeping = sampleProcess(nap.pid);
    await sleep(600);
    const idle = sleeping.stop().loop;
    await nap.exited;

    // Whatever the machine's load: a spinning thread is either on a core or in the run queue.
    expect(busy).toBeDefined();
    expect((busy?.cpuCores ?? 0) + (busy?.waitForCpu ?? 0)).toBeGreaterThan(0.8);
    expect(busy?.cpuCores ?? 0).toBeGreaterThan(0);
    expect((idle?.cpuCores ?? 1) + (idle?.waitForCpu ?? 1)).toBeLessThan(0.3);
  });
});
