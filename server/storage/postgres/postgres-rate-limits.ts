import { createHash } from 'node:crypto';
import type { RateLimitHit, SharedRateLimits } from '../rate-limit-storage.ts';
import { PgDatabase } from './pg-database.ts';

/** The database's clock in milliseconds (one value per statement): every node counts by the same clock, whatever its own says. */
const NOW_MS = '(extract(epoch FROM now()) * 1000)::bigint';

/** Expired rows are deleted at most this often per process; a request never waits for it. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The HTTP rate limits' counters in the `rate_limit_hits` table (migration 021), on a pool of its own: they are
 * counted only on sign-in, joining and setup, and must not wait behind live play's queries in storage's pool.
 * One statement per request (an upsert) counts atomically however many nodes count the same key at once.
 */
export class PostgresRateLimits implements SharedRateLimits {
  private lastSweep = 0;

  private constructor(private readonly db: PgDatabase) {}

  static open(url: string): PostgresRateLimits {
    return new PostgresRateLimits(new PgDatabase(url, { max: 2 }));
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    this.sweepNowAndThen();
    const [row] = await this.db.rows<{ hits: number; ms_left: number }>(
      `INSERT INTO rate_limit_hits AS r (key, hits, resets_at) VALUES ($1, 1, ${NOW_MS} + $2)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.resets_at <= ${NOW_MS} THEN 1 ELSE r.hits + 1 END,
         resets_at = CASE WHEN r.resets_at <= ${NOW_MS} THEN ${NOW_MS} + $2 ELSE r.resets_at END
       RETURNING hits, greatest(resets_at - ${NOW_MS}, 0) AS ms_left`,
      // The address is personal data: what is kept is a hash of it with the route, for a minute or so.
      [createHash('sha256').update(key).digest('base64url'), Math.trunc(windowMs)],
    );
    if (!row) throw new Error('rate_limit_hits: the upsert returned no row');
    return { hits: Number(row.hits), msLeft: Number(row.ms_left) };
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    // Failing here loses nothing: the rows are swept by the next attempt, or by another node.
    this.db.rows(`DELETE FROM rate_limit_hits WHERE resets_at <= ${NOW_MS}`).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
