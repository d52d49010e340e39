import { payCpuDebt } from './background-cpu-share.ts';

/**
 * The live loop's claim on SQLite's write lock, shared with the server's background threads (research worker,
 * import and report pools) through one SharedArrayBuffer; the same buffer tells them whether people play live on the
 * loop (`personPlaying`), which lowers the writing threads' CPU share (background-cpu-share.ts).
 *
 * Why: SQLite has no queue for its write lock. The loop's connection never sleeps inside SQLite; it retries on a short
 * timer (busy-retry.ts), while a background writer commits one short transaction after another. Measured beside a
 * batch run and a 100 MB import, the loop found the lock taken on most retries and people's acknowledgements waited
 * for it in stretches of hundreds of milliseconds. With the gate, the loop raises a count while one of its calls waits
 * for the lock; a background connection about to start a write (busy-retry.ts, write-chunks.ts) waits until the count
 * is back to zero, so the loop gets the lock as soon as the holder's current transaction ends.
 *
 * A background thread waits at most BACKGROUND_WAIT_MS per write, so a loop that waits for another process (the
 * CLI's import) cannot stall the server's own background work. Threads that never joined (the CLI, tests' apps)
 * have no gate and do not wait. Engine-neutral on purpose: no driver here, only Atomics.
 */

/** The longest a background write waits for the loop's claim to end before it goes ahead anyway. */
export const BACKGROUND_WAIT_MS = 250;

/** The gate this thread's loop claims (made on first use). */
let own: Int32Array | null = null;
/** The gate of the loop that started this thread, which this thread's writes yield to. Never this thread's own. */
let joined: Int32Array | null = null;

/** The buffer's slots: the loop's calls waiting for the write lock, and the live episodes running on the loop. */
const CLAIMS = 0;
const PLAYING = 1;

function ownGate(): Int32Array {
  own ??= new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  return own;
}

/** The loop's gate; its buffer is what the loop hands to each background thread it starts. */
export function loopWriteGate(): SharedArrayBuffer {
  return ownGate().buffer as SharedArrayBuffer;
}

/** In a background thread: yield writes to the loop that made `buffer`. Without a buffer, nothing changes. */
export function joinLoopWriteGate(buffer: SharedArrayBuffer | undefined): void {
  joined = buffer ? new Int32Array(buffer) : null;
}

/**
 * Raises one slot of this loop's gate by one and returns its lowering, which takes effect once however often it is
 * called; the claims' waiters are woken when their count reaches zero.
 */
function raise(slot: typeof CLAIMS | typeof PLAYING): () => void {
  const g = ownGate();
  Atomics.add(g, slot, 1);
  let lowered = false;
  return () => {
    if (lowered) return;
    lowered = true;
    if (Atomics.sub(g, slot, 1) === 1 && slot === CLAIMS) Atomics.notify(g, CLAIMS);
  };
}

/** On the loop: one call now waits for the write lock. Returns the matching release, to call exactly once. */
export function claimForLoop(): () => void {
  return raise(CLAIMS);
}

/**
 * On the loop: a live episode now runs here (a person is playing). Returns the matching end, to call exactly once.
 * The background threads' CPU share is lower while any runs (background-cpu-share.ts, BACKGROUND_CPU_SHARE_WHILE_LIVE).
 */
export function personPlaying(): () => void {
  return raise(PLAYING);
}

/** How many live episodes run on this thread's loop now (for tests and diagnostics). */
export function playingOnThisLoop(): number {
  return own === null ? 0 : Atomics.load(own, PLAYING);
}

/** In a background thread: whether people play live on the loop that started it (false if it joined no loop). */
export function peoplePlayingOnLoop(): boolean {
  return joined !== null && Atomics.load(joined, PLAYING) > 0;
}

/** How many of this thread's loop calls wait for the lock now (for tests and diagnostics). */
export function loopClaims(): number {
  return own === null ? 0 : Atomics.load(own, CLAIMS);
}

/** True while a loop call waits for the write lock (a chunked writer ends its chunk early then). */
export function loopWaiting(): boolean {
  return joined !== null && Atomics.load(joined, CLAIMS) > 0;
}

/**
 * In a background thread, before a write: first gives back the CPU this thread owes under its share
 * (background-cpu-share.ts; here, because no transaction of this thread is open), then blocks this thread (not the
 * loop) while the loop waits for the lock, at most BACKGROUND_WAIT_MS. Returns the milliseconds waited for the loop.
 */
export function yieldToLoop(maxMs = BACKGROUND_WAIT_MS): number {
  payCpuDebt();
  const g = joined;
  if (!g) return 0;
  const started = performance.now();
  for (;;) {
    const waiting = Atomics.load(g, CLAIMS);
    const left = maxMs - (performance.now() - started);
    if (waiting <= 0 || left <= 0) return performance.now() - started;
    Atomics.wait(g, CLAIMS, waiting, left);
  }
}
