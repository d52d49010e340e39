/** The least time between two renewals of an actor's play lease (a new episode's was just taken). */
export const LEASE_RENEW_INTERVAL_MS = 10_000;

/** When a live episode's actor's play lease is renewed (LiveSessions.reply, as the person plays on). */
export class PlayLeaseRenewal {
  /** When the actor's play lease was last taken or renewed (ms since the epoch); null: not known in this process. */
  private renewedAt: number | null;

  /** `newEpisode`: its lease was just taken; else (resumed) not known here. */
  constructor(newEpisode: boolean) {
    this.renewedAt = newEpisode ? Date.now() : null;
  }

  /** Whether the play lease is due for renewal (then counted renewed): renewals are writes; a lease lasts ≥ 1 min. */
  due(now: number): boolean {
    if (this.renewedAt !== null && now - this.renewedAt < LEASE_RENEW_INTERVAL_MS) return false;
    this.renewedAt = now;
    return true;
  }
}
