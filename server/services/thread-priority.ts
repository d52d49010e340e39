import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { BACKGROUND_CPU_SHARE_WHILE_LIVE, limitThisThreadsCpu } from '../storage/background-cpu-share.ts';
import { peoplePlayingOnLoop } from '../storage/write-gate.ts';

/**
 * How the server's background threads leave the CPU to the live loop. On a 2-core machine the research worker, an
 * import and an agreement report together want more CPU than there is; at an even share people's acknowledgements
 * queued behind research work.
 *
 * Threads that write to the database (the research worker, the import pool) keep the loop's priority and run under a
 * duty cycle instead (storage/background-cpu-share.ts: at most half a core each, a tenth while people play live, the
 * CPU given back between transactions). A lower nice value would make them lose the CPU while they hold SQLite's
 * write lock, and the loop would wait behind a descheduled thread (priority inversion; an unprivileged process cannot
 * raise the priority back while it holds the lock). Threads that hold no lock the loop needs run at nice +10 and still
 * get every core the loop leaves idle: the agreement report pool (it only reads) and the model-call thread (it only
 * talks to models). At 1,000 live persons the model-call thread used about as much CPU as the loop; at the loop's
 * priority, the loop waited 0.41–0.45 s per second for a core and reply p99 was 255–439 ms, at nice +10 0.33 s and
 * 183–269 ms, with the same episode times (three alternating pairs of `BENCH_LIVE_SESSIONS=1000 npm run bench:live`).
 */

/**
 * A writing background thread: the loop's priority, at most `share` of a core, and less while people play live on the
 * loop that started it (BACKGROUND_CPU_SHARE_WHILE_LIVE). Returns how its CPU is measured.
 */
export function runThisWriterInBackground(share?: number): ReturnType<typeof limitThisThreadsCpu> {
  return limitThisThreadsCpu(share, { share: BACKGROUND_CPU_SHARE_WHILE_LIVE, playing: peoplePlayingOnLoop });
}

/**
 * A thread that never takes the write lock: nice +10 (Linux only; elsewhere it does nothing and says so).
 * Linux keeps a nice value per thread; `/proc/thread-self` names this thread's id. Never lowers the main thread.
 */
export function runThisNonWriterInBackground(): boolean {
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
