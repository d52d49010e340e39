import pg from 'pg';
import type { CellValue, CopyTarget, CopyWriter, TargetColumn } from '../table-copy.ts';
import { MAX_PARAMS, valuesPlaceholders } from './pg-values.ts';

/**
 * A migrated PostgreSQL database as the target of `prefdisco migrate-storage`: one connection, one transaction for the
 * whole copy. Only the tables of the connection's schema (current_schema()) are ours: other schemas (pg-boss keeps
 * its own) are neither checked nor written.
 */

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

class PostgresCopyWriter implements CopyWriter {
  constructor(private readonly client: pg.Client) {}

  async nonEmptyTables(tables: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const table of tables) {
      const result = await this.client.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`);
      if (result.rows.length > 0) found.push(table);
    }
    return found;
  }

  async insert(table: string, columns: string[], rows: CellValue[][], overridingSystemValue: boolean): Promise<void> {
    if (rows.length === 0) return;
    const overriding = overridingSystemValue ? ' OVERRIDING SYSTEM VALUE' : '';
    await this.client.query(
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')})${overriding}
       VALUES ${valuesPlaceholders(rows.length, columns.length)}`,
      // bigint cells (none in today's schema) go as their decimal text, which PostgreSQL reads exactly.
      rows.flat().map((value) => (typeof value === 'bigint' ? value.toString() : value)),
    );
  }

  async resetIdentities(tables: string[]): Promise<void> {
    const identities = await this.client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name = ANY($1)`,
      [tables],
    );
    for (const { table_name: table, column_name: column } of identities.rows) {
      // is_called false: the next value handed out is exactly max + 1 (1 for an empty table).
      await this.client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
        [quote(table), column],
      );
    }
  }

  async rowCount(table: string): Promise<number> {
    const result = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
    return Number(result.rows[0]?.n ?? 0);
  }
}

export class PostgresCopyTarget implements CopyTarget {
  readonly maxParameters = MAX_PARAMS;

  private constructor(private readonly client: pg.Client) {}

  /** Connects; the caller has already migrated the database (and reported an unreachable server in its own words). */
  static async connect(url: string): Promise<PostgresCopyTarget> {
    const client = new pg.Client({ connectionString: url });
    // A connection that dies mid-copy fails the running query; without a listener the error event would crash.
    client.on('error', () => undefined);
    await client.connect();
    return new PostgresCopyTarget(client);
  }

  async migrationVersions(): Promise<number[]> {
    const result = await this.client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return result.rows.map((row) => row.version);
  }

  async tables(): Promise<Map<string, TargetColumn[]>> {
    const result = await this.client.query<{
      table_name: string;
      column_name: string;
      identity_generation: string | null;
    }>(
      `SELECT c.table_name, c.column_name, c.identity_generation
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
       ORDER BY c.table_name, c.ordinal_position`,
    );
    const tables = new Map<string, TargetColumn[]>();
    for (const row of result.rows) {
      const identity =
        row.identity_generation === 'ALWAYS'
          ? 'ALWAYS'
          : row.identity_generation === 'BY DEFAULT'
            ? 'BY DEFAULT'
            : null;
      const columns = tables.get(row.table_name) ?? [];
      columns.push({ name: row.column_name, identity });
      tables.set(row.table_name, columns);
    }
    return tables;
  }

  async transaction<T>(tables: string[], work: (writer: CopyWriter) => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      // EXCLUSIVE: others may still read, but nothing writes our tables between the emptiness check and the commit.
      if (tables.length > 0) await this.client.query(`LOCK TABLE ${tables.map(quote).join(', ')} IN EXCLUSIVE MODE`);
      const value = await work(new PostgresCopyWriter(this.client));
      await this.client.query('COMMIT');
      return value;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
