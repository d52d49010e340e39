/**
 * A process that keeps about half a core busy at the default priority, in bursts: it spins `BURN_ON_MS` (default 3),
 * then sleeps `BURN_OFF_MS` (default 3), until it is killed. bench:live's `BENCH_LIVE_ECHO_BESIDE` runs some of these
 * beside the echo server, standing in for background work at the loop's priority (the research worker and the import
 * each run about half a core in bursts between their storage calls), so that the bare server's own reply p99 beside
 * such work can be read next to bench:live-busy's ratio.
 */
const on = Number(process.env.BURN_ON_MS ?? 3);
const off = Number(process.env.BURN_OFF_MS ?? 3);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
process.on('disconnect', () => process.exit(0));
for (;;) {
  const started = performance.now();
  while (performance.now() - started < on) {
    // Spinning: the CPU this process stands for.
  }
  Atomics.wait(sleeper, 0, 0, off);
}
