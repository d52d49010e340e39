import Database from 'better-sqlite3';
import type { ServerLeaseHolder } from '../server-lease-storage.ts';
import type { CellValue, CopySource, SourceTable } from '../table-copy.ts';

/**
 * An SQLite file as the source of `prefdisco migrate-storage`: opened read-only, so the copy can never change what it
 * copies, and read inside one transaction, so every table comes from the same snapshot even if something writes the
 * file meanwhile (WAL readers see the state at their first read).
 */

interface ColumnInfo {
  name: string;
  pk: number;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class SqliteCopySource implements CopySource {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      this.db.exec('BEGIN');
      // A deferred transaction takes its snapshot at its first read (which also finds a file that is no database).
      this.db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  private hasTable(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }

  migrationVersions(): number[] {
    if (!this.hasTable('schema_migrations')) return [];
    return this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[];
  }

  tables(): SourceTable[] {
    const rows = this.db
      .prepare(
        `SELECT name, sql FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`,
      )
      .all() as { name: string; sql: string }[];
    return rows.map(({ name, sql }) => {
      const columns = this.db.prepare(`PRAGMA table_info(${quote(name)})`).all() as ColumnInfo[];
      const keys = this.db.prepare(`PRAGMA foreign_key_list(${quote(name)})`).all() as { table: string }[];
      return {
        name,
        columns: columns.map((c) => c.name),
        references: [...new Set(keys.map((k) => k.table))],
        hasRowid: !/\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(sql),
      };
    });
  }

  serverLease(): ServerLeaseHolder | null {
    if (!this.hasTable('server_lease')) return null;
    const row = this.db.prepare('SELECT holder, host, pid, expires_at FROM server_lease WHERE id = 1').get() as
      { holder: string; host: string; pid: number; expires_at: string } | undefined;
    return row ? { holder: row.holder, host: row.host, pid: row.pid, expiresAt: row.expires_at } : null;
  }

  rowCount(table: string): number {
    return this.db
      .prepare(`SELECT count(*) FROM ${quote(table)}`)
      .pluck()
      .get() as number;
  }

  *batches(table: string, columns: string[], batchRows: number, batchBytes: number): Iterable<CellValue[][]> {
    const order = this.insertionOrder(table);
    const statement = this.db
      .prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)} ORDER BY ${order}`)
      .raw(true);
    let batch: CellValue[][] = [];
    let bytes = 0;
    for (const row of statement.iterate() as Iterable<CellValue[]>) {
      batch.push(row);
      for (const value of row) if (typeof value === 'string') bytes += value.length;
      if (batch.length >= batchRows || bytes >= batchBytes) {
        yield batch;
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** rowid for ordinary tables (the order rows were written); the primary key for WITHOUT ROWID ones. */
  private insertionOrder(table: string): string {
    const found = this.tables().find((t) => t.name === table);
    if (!found || found.hasRowid) return 'rowid';
    const columns = this.db.prepare(`PRAGMA table_info(${quote(table)})`).all() as ColumnInfo[];
    return columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => quote(c.name))
      .join(', ');
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}
