import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { cpuShareNow, limitThisThreadsCpu, payCpuDebt } from '../../server/storage/background-cpu-share.ts';
import { joinLoopWriteGate, peoplePlayingOnLoop } from '../../server/storage/write-gate.ts';

/**
 * The CPU share test's background thread: limits itself to `share` of a core (`whileLive.share` while the loop that
 * made `whileLive.gate` has a person playing), then does `workMs` of CPU work in
 * 1 ms slices, paying its debt between slices as a background writer does before each storage call. Posts the CPU
 * it used (this thread's own, from schedstat) and the milliseconds it slept.
 */
export interface CpuShareData {
  share: number;
  workMs: number;
  /** The share while people play on the loop whose gate the thread joins (as the server's writers do). */
  whileLive?: { share: number; gate: SharedArrayBuffer };
}
export interface CpuShareReply {
  clock: string;
  /** The share in effect when the work ended. */
  share: number;
  cpuMs: number;
  sleptMs: number;
}

const data = workerData as CpuShareData;
const threadCpuMs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
joinLoopWriteGate(data.whileLive?.gate);
const clock = limitThisThreadsCpu(
  data.share,
  data.whileLive ? { share: data.whileLive.share, playing: peoplePlayingOnLoop } : null,
);
const start = threadCpuMs();
let slept = 0;
while (threadCpuMs() - start < data.workMs) {
  const sliceEnd = threadCpuMs() + 1;
  // Reading the clock is the work: a busy loop the engine cannot drop.
  while (threadCpuMs() < sliceEnd);
  slept += payCpuDebt();
}
parentPort?.postMessage({
  clock,
  share: cpuShareNow(),
  cpuMs: threadCpuMs() - start,
  sleptMs: slept,
} satisfies CpuShareReply);
