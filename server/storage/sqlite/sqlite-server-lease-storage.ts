import type Database from 'better-sqlite3';
import type { ServerLeaseHolder, ServerLeaseOutcome, ServerLeaseStorage } from '../server-lease-storage.ts';
import { blockingHolder, toHolder, type LeaseRow } from '../rows/server-lease-rows.ts';

export class SqliteServerLeaseStorage implements ServerLeaseStorage {
  constructor(private readonly db: Database.Database) {}

  async acquire(
    claim: Omit<ServerLeaseHolder, 'expiresAt'>,
    now: Date,
    ttlMs: number,
    canTakeOver: (current: ServerLeaseHolder) => boolean = () => false,
  ): Promise<ServerLeaseOutcome> {
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    // IMMEDIATE: two servers starting at once must not both read "free" and both write.
    return this.db
      .transaction((): ServerLeaseOutcome => {
        const row = this.db.prepare('SELECT * FROM server_lease WHERE id = 1').get() as LeaseRow | undefined;
        const current = blockingHolder(row, claim, now, canTakeOver);
        if (current) return { acquired: false, current };
        this.db
          .prepare(
            `INSERT INTO server_lease (id, holder, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
               expires_at = excluded.expires_at`,
          )
          .run(claim.holder, claim.host, claim.pid, expiresAt);
        return { acquired: true };
      })
      .immediate();
  }

  async renew(holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const result = this.db
      .prepare('UPDATE server_lease SET expires_at = ? WHERE id = 1 AND holder = ?')
      .run(expiresAt, holder);
    return result.changes === 1;
  }

  async release(holder: string): Promise<void> {
    this.db.prepare('DELETE FROM server_lease WHERE id = 1 AND holder = ?').run(holder);
  }

  async current(): Promise<ServerLeaseHolder | null> {
    const row = this.db.prepare('SELECT * FROM server_lease WHERE id = 1').get() as LeaseRow | undefined;
    return row ? toHolder(row) : null;
  }
}
