import type { ServerLeaseHolder, ServerLeaseOutcome, ServerLeaseStorage } from '../server-lease-storage.ts';
import { blockingHolder, toHolder, type LeaseRow } from '../rows/server-lease-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** The server lease on PostgreSQL (sqlite/sqlite-server-lease-storage.ts; migration 008). */
export class PostgresServerLeaseStorage implements ServerLeaseStorage {
  constructor(private readonly db: PgDatabase) {}

  async acquire(
    claim: Omit<ServerLeaseHolder, 'expiresAt'>,
    now: Date,
    ttlMs: number,
    canTakeOver: (current: ServerLeaseHolder) => boolean = () => false,
  ): Promise<ServerLeaseOutcome> {
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    // Serializable: two servers starting at once must not both read "free" and both write (one of them retries and
    // then sees the other's lease). A row lock cannot do it alone: while the lease is free there is no row to lock.
    return this.db.transaction(async (client): Promise<ServerLeaseOutcome> => {
      const [row] = (await client.query<LeaseRow>('SELECT * FROM server_lease WHERE id = 1')).rows;
      const current = blockingHolder(row, claim, now, canTakeOver);
      if (current) return { acquired: false, current };
      await client.query(
        `INSERT INTO server_lease (id, holder, host, pid, expires_at) VALUES (1, $1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
           expires_at = excluded.expires_at`,
        [claim.holder, claim.host, claim.pid, expiresAt],
      );
      return { acquired: true };
    }, 'serializable');
  }

  async renew(holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const result = await this.db.pool.query('UPDATE server_lease SET expires_at = $1 WHERE id = 1 AND holder = $2', [
      expiresAt,
      holder,
    ]);
    return result.rowCount === 1;
  }

  async release(holder: string): Promise<void> {
    await this.db.rows('DELETE FROM server_lease WHERE id = 1 AND holder = $1', [holder]);
  }

  async current(): Promise<ServerLeaseHolder | null> {
    const [row] = await this.db.rows<LeaseRow>('SELECT * FROM server_lease WHERE id = 1');
    return row ? toHolder(row) : null;
  }
}
