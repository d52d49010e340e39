/**
 * Episode starts wait their turn behind the replies of people already playing: at most one start begins per turn of
 * the event loop, in the order they were asked for. Why: a start is one or two milliseconds of the loop at once
 * (the claim, the episode's row, its set-up, the first model call), and a few hundred people arriving together put
 * hundreds of them in one turn, ahead of every reply waiting to be stored and acknowledged. Each start now waits for
 * the loop's check phase after the previous one began, so the sockets' reads (replies) are served between two starts.
 * Measured at 1,000 persons (`BENCH_LIVE_SESSIONS=1000 npm run bench:live`, bench/README.md), four runs with the
 * lane and five without it the same hour: reply p99 174–344 ms (median 199) against 218–335 ms (median 269). The
 * price is the start's own wait: the episodes' p99 over the echo server's was 1.13–1.22 with the lane (one run over
 * the 1.2 target) against 1.11–1.18 without. A promise chain rather than a queue library: what is limited is starts
 * per loop turn, not starts at once (p-limit's job), and the chain is three lines.
 */
export interface StartLane {
  /** Resolves when this start may begin: after every start asked for before it, one loop turn apart. */
  turn(): Promise<void>;
}

export function startLane(): StartLane {
  let last: Promise<void> = Promise.resolve();
  return {
    turn() {
      const mine = last.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
      last = mine;
      return mine;
    },
  };
}
