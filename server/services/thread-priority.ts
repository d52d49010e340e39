import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * Gives the calling worker thread a lower CPU priority than the live loop (nice +10, Linux only; elsewhere it does
 * nothing and says so). Why: on a 2-core machine the research worker, an import and an agreement report together want
 * more CPU than there is, and the scheduler shared it evenly with the loop, so people's acknowledgements queued behind
 * research work. At a lower priority background threads still get every core the loop leaves idle.
 * Linux keeps a nice value per thread; `/proc/thread-self` names this thread's id. Never lowers the main thread.
 */
export function runThisThreadInBackground(): boolean {
  if (isMainThread || process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, constants.priority.PRIORITY_BELOW_NORMAL);
    return true;
  } catch {
    // No /proc (a container without it) or not allowed: the thread keeps the loop's priority.
    return false;
  }
}
