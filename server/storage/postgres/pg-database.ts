import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * One PostgreSQL database as the storage classes use it: a pool of connections and a transaction helper. Why a
 * helper: unlike better-sqlite3's synchronous transactions, a PostgreSQL transaction spans awaits, so every storage
 * method that writes more than one statement must hold one client from BEGIN to COMMIT and give it back on every path.
 */

// BIGINT (int8) ids and counts come back as strings by default; every value the app stores fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Queryable = pg.Pool | pg.PoolClient;

/** Serialization failure and deadlock: the transaction lost a race and may simply run again. */
const RETRIED_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

export class PgDatabase {
  readonly pool: pg.Pool;

  constructor(connectionString: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
    // An idle client whose server went away emits here; without a listener the process would crash.
    this.pool.on('error', () => undefined);
  }

  /** Runs one statement on any free connection and returns its rows. */
  async rows<R extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params as unknown[])).rows;
  }

  /**
   * Runs `work` in one transaction on one client: committed if it resolves, rolled back if it throws. A transaction
   * that lost a serialization race or a deadlock runs again (with a short random pause), as SQLite's busy retry does,
   * so `work` must have no effect outside the database. `isolation` 'serializable' for claims that read and then
   * write what others may be writing; the default 'read committed' with row locks (`FOR UPDATE`) elsewhere.
   */
  async transaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    isolation: 'read committed' | 'serializable' = 'read committed',
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
        const value = await work(client);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: unknown }).code;
        if (typeof code !== 'string' || !RETRIED_CODES.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        await sleep(Math.random() * 5 * attempt);
      } finally {
        client.release();
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
