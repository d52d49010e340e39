/** Who serves a database: one row, taken by `prefdisco serve` (see migration 008-server-lease.sql). */
export interface ServerLeaseHolder {
  /** Unique per server process start. */
  holder: string;
  /** Host name of the machine the holder runs on (its pid means nothing elsewhere). */
  host: string;
  pid: number;
  /** ISO time after which the lease no longer holds. */
  expiresAt: string;
}

export type ServerLeaseOutcome = { acquired: true } | { acquired: false; current: ServerLeaseHolder };

export interface ServerLeaseStorage {
  /**
   * Takes the lease in one transaction unless another holder's lease has not expired at `now`. `canTakeOver` is asked
   * about such an unexpired lease (e.g. its process is known to be gone) and may let the claim take it anyway.
   */
  acquire(
    claim: Omit<ServerLeaseHolder, 'expiresAt'>,
    now: Date,
    ttlMs: number,
    canTakeOver?: (current: ServerLeaseHolder) => boolean,
  ): Promise<ServerLeaseOutcome>;
  /** Extends the holder's lease; false if it is no longer the holder (taken over after it expired). */
  renew(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (clean shutdown); nothing if another holder has it. */
  release(holder: string): Promise<void>;
  current(): Promise<ServerLeaseHolder | null>;
}
