import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { limitThisThreadsCpu, payCpuDebt } from '../../server/storage/background-cpu-share.ts';

/**
 * The CPU share test's background thread: limits itself to `share` of a core, then does `workMs` of CPU work in
 * 1 ms slices, paying its debt between slices as a background writer does before each storage call. Posts the CPU
 * it used (this thread's own, from schedstat) and the milliseconds it slept.
 */
export interface CpuShareData {
  share: number;
  workMs: number;
}
export interface CpuShareReply {
  clock: string;
  cpuMs: number;
  sleptMs: number;
}

const data = workerData as CpuShareData;
const threadCpuMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
const clock = limitThisThreadsCpu(data.share);
const start = threadCpuMs();
let slept = 0;
while (threadCpuMs() - start < data.workMs) {
  const sliceEnd = threadCpuMs() + 1;
  // Reading the clock is the work: a busy loop the engine cannot drop.
  while (threadCpuMs() < sliceEnd);
  slept += payCpuDebt();
}
parentPort?.postMessage({ clock, cpuMs: threadCpuMs() - start, sleptMs: slept } satisfies CpuShareReply);
