/**
 * LiveSync's hold on broadcasts: while play:start or a resync is in flight, broadcasts are held back and applied after
 * its answer: the server joins this socket to the episode before it reads the snapshot, so a broadcast may overtake
 * the answer it belongs after.
 */
export class BroadcastHold {
  private holds = 0;
  private held: (() => void)[] = [];

  /** True when a request is in flight: `apply` is kept for after its answer. False: the caller applies it now. */
  defer(apply: () => void): boolean {
    if (this.holds === 0) return false;
    this.held.push(apply);
    return true;
  }

  /** A request is in flight: broadcasts wait until it is released. */
  hold(): void {
    this.holds += 1;
  }

  /** Holds broadcasts while `work` runs, and applies them once it is done (and no other hold remains). */
  async holding(work: () => Promise<void>): Promise<void> {
    this.hold();
    try {
      await work();
    } finally {
      this.release();
    }
  }

  release(): void {
    this.holds -= 1;
    if (this.holds > 0) return;
    const waiting = this.held;
    this.held = [];
    for (const apply of waiting) apply();
  }
}
