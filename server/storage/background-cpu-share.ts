import { closeSync, openSync, readSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * A background thread's share of a core, enforced by a duty cycle: before each storage call (write-gate.ts's
 * yieldToLoop), and on a 10 ms timer for work that makes no storage calls but lets its event loop turn (an import's
 * validation reads its file in pieces), the thread sleeps in proportion to the CPU it used since its last sleep, so
 * that over time it runs at most `share` of one core. Both places are outside any transaction: SQLite transactions
 * here are synchronous, so neither a timer nor the next storage call can start inside one.
 *
 * Why not a lower nice value: a niced thread that holds SQLite's write lock loses the CPU to everything else mid-
 * transaction, and the live loop then waits for the lock behind it (measured: an import chunk with at most 5 ms of
 * work held the lock up to 247 ms at load 7–8). An unprivileged process cannot raise a thread's priority again while
 * it holds the lock (RLIMIT_NICE is 0 by default), so the background writers keep the loop's priority and give the CPU
 * back between transactions instead, never while they hold the lock: the sleep happens before a storage call starts.
 *
 * CPU time is the thread's own, from /proc/thread-self/schedstat (nanoseconds on the CPU, Linux only; a read costs
 * a few microseconds). Elsewhere the thread's event-loop active time stands in for it (it also counts time the thread
 * waited for a core, so the thread sleeps more on a loaded machine, never less).
 */

/** The default share of one core each throttled background thread may use. */
export const BACKGROUND_CPU_SHARE = 0.5;
/**
 * Each throttled thread's share while people play live on the server's loop (write-gate.ts counts the running live
 * episodes). Why lower: on two cores, background work at the loop's priority makes the loop wait for a core when a
 * person's reply arrives. Measured with `npm run bench:live-busy` (three pairs of phases per run; its ratio still moves
 * by 1.5 between runs of the same code): busy reply p99 over quiet 3.47 / 3.59 at 0.5, 2.20 / 2.61 / 2.23 / 2.86 at
 * 0.2, and 2.43 / 1.53 / 1.43 / 1.08 / 1.65 / 1.28 at 0.1 (median 1.48); the loop's wait for a core in the busy
 * phases 0.20–0.23 s/s at 0.5, 0.17–0.21 at 0.2, 0.14–0.18 at 0.1. The price is research speed while people play: the
 * 5,000-episode batch run took 24–26 s at 0.5, 35–39 s at 0.2 and 36–42 s at 0.1, the 100 MB import 13–14 s, 23–24 s
 * and 26–27 s.
 */
export const BACKGROUND_CPU_SHARE_WHILE_LIVE = 0.1;
/** The longest single sleep: debt beyond it is forgiven, so one long call cannot park the thread for seconds. */
const MAX_SLEEP_MS = 50;
/** Sleeps shorter than this are saved up (a timer's granularity makes shorter ones cost more than they give). */
const MIN_SLEEP_MS = 2;
/** How often work between storage calls pays its debt (when its event loop turns that often). */
const PAY_EVERY_MS = 10;

/** A lower share while `playing()` says people play live (read before every sleep, so it follows them at once). */
export interface ShareWhileLive {
  share: number;
  playing: () => boolean;
}

interface Throttle {
  share: number;
  whileLive: ShareWhileLive | null;
  /** CPU milliseconds the thread had used when it last slept (or started). */
  paidUpTo: number;
  cpuMs: () => number;
  /** Whether the clock counts the sleep itself as used (the event-loop clock does; the thread's CPU time does not). */
  countsSleep: boolean;
  sleeper: Int32Array;
}

let throttle: Throttle | null = null;

function schedstatClock(): (() => number) | null {
  if (process.platform !== 'linux') return null;
  try {
    // The descriptor names this thread for as long as it is open: /proc/thread-self resolves when it is opened.
    const fd = openSync('/proc/thread-self/schedstat', 'r');
    const buf = Buffer.alloc(96);
    const read = (): number => {
      const n = readSync(fd, buf, 0, buf.length, 0);
      return Number(buf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
    };
    if (!Number.isFinite(read())) {
      closeSync(fd);
      return null;
    }
    return read;
  } catch {
    return null;
  }
}

function eventLoopClock(): () => number {
  return () => performance.eventLoopUtilization().active;
}

/**
 * In a background thread: from now on this thread runs at most `share` of a core (see the file's comment), and at most
 * `whileLive.share` while people play. Never on the main thread. Returns which clock measures the thread's CPU.
 */
export function limitThisThreadsCpu(
  share = BACKGROUND_CPU_SHARE,
  whileLive: ShareWhileLive | null = null,
): 'thread-cpu' | 'event-loop' | 'none' {
  if (isMainThread || !(share > 0 && share < 1)) return 'none';
  const sched = schedstatClock();
  const cpuMs = sched ?? eventLoopClock();
  throttle = {
    share,
    whileLive: whileLive && whileLive.share > 0 && whileLive.share < 1 ? whileLive : null,
    paidUpTo: cpuMs(),
    cpuMs,
    countsSleep: sched === null,
    sleeper: new Int32Array(new SharedArrayBuffer(4)),
  };
  // Unref'd: the timer never keeps a thread alive that has nothing else to do.
  setInterval(payCpuDebt, PAY_EVERY_MS).unref();
  return sched ? 'thread-cpu' : 'event-loop';
}

function shareNow(t: Throttle): number {
  return t.whileLive?.playing() ? t.whileLive.share : t.share;
}

/** The share of a core this thread may use now (1 when it is not limited): for tests and diagnostics. */
export function cpuShareNow(): number {
  return throttle ? shareNow(throttle) : 1;
}

/**
 * Sleeps (blocking this thread only) for the CPU used since the last sleep × (1 − share) / share, at most
 * MAX_SLEEP_MS. Call only where the thread holds no write lock. Returns the milliseconds slept.
 */
export function payCpuDebt(): number {
  const t = throttle;
  if (!t) return 0;
  const now = t.cpuMs();
  const used = now - t.paidUpTo;
  const share = shareNow(t);
  const owed = (used * (1 - share)) / share;
  if (owed < MIN_SLEEP_MS) return 0;
  const ms = Math.min(owed, MAX_SLEEP_MS);
  const started = performance.now();
  Atomics.wait(t.sleeper, 0, 0, ms);
  // Paid up to where it was measured: the CPU spent going to sleep and waking counts towards the next sleep (forgiven,
  // it let a thread at a quarter share use about 1% more than its share). On the event-loop clock the sleep itself
  // counts as active time, so that clock is read again after it and the sleep is not owed again.
  t.paidUpTo = t.countsSleep ? t.cpuMs() : now;
  return performance.now() - started;
}
