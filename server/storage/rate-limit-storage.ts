/** One request counted against a rate limit: how many in the current window, and how long until it ends. */
export interface RateLimitHit {
  hits: number;
  msLeft: number;
}

/**
 * Rate-limit counters every node of a database shares (PostgreSQL, several nodes): N nodes counting alone would allow
 * N times the limit. On SQLite one process serves the file, and the rate-limit plugin counts in memory instead.
 */
export interface SharedRateLimits {
  /** Counts one request under `key` in a window of `windowMs` that starts with the key's first request. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}
