import type { ServerLeaseHolder } from './server-lease-storage.ts';

/**
 * The two ends of `prefdisco migrate-storage`, in engine-neutral terms: each engine's folder implements one
 * (sqlite/sqlite-copy-source.ts, postgres/postgres-copy-target.ts), and copy-sqlite-to-postgres.ts drives them, so the
 * orchestration needs neither driver.
 */

/** A value as a table cell holds it: text, a number, or NULL (the schema has no blobs). */
export type CellValue = string | number | bigint | null;

export interface SourceTable {
  name: string;
  /** Column names in the table's order. */
  columns: string[];
  /** Tables this one's foreign keys point at (itself included, if it refers to its own rows). */
  references: string[];
  /** Whether rows have an implicit rowid (insertion order) that the target may keep in an explicit column. */
  hasRowid: boolean;
}

export interface CopySource {
  /** The migration versions applied to the source (schema_migrations). */
  migrationVersions(): number[];
  /** Every table of our schema, migration bookkeeping excluded. */
  tables(): SourceTable[];
  /** The server lease row, if a server holds (or held, and crashed) the source. */
  serverLease(): ServerLeaseHolder | null;
  rowCount(table: string): number;
  /**
   * The table's rows as arrays of `columns` values, in insertion order (rowid, else primary key), `batchRows` at a time
   * and never more than about `batchBytes` of text in one batch, so a large table is never in memory at once.
   * `columns` may include 'rowid' for a table that has one.
   */
  batches(table: string, columns: string[], batchRows: number, batchBytes: number): Iterable<CellValue[][]>;
  close(): void;
}

export interface TargetColumn {
  name: string;
  /** An identity column: 'ALWAYS' needs OVERRIDING SYSTEM VALUE to take copied values; both need a reset after. */
  identity: 'ALWAYS' | 'BY DEFAULT' | null;
}

/** The target inside its one transaction: everything written here is committed together or not at all. */
export interface CopyWriter {
  /** Tables that already hold rows, of those given. */
  nonEmptyTables(tables: string[]): Promise<string[]>;
  insert(table: string, columns: string[], rows: CellValue[][], overridingSystemValue: boolean): Promise<void>;
  /** Sets every identity column's next value past the copied rows, so new rows do not collide with copied ids. */
  resetIdentities(tables: string[]): Promise<void>;
  rowCount(table: string): Promise<number>;
}

export interface CopyTarget {
  migrationVersions(): Promise<number[]>;
  /** Every table of our schema with its columns, migration bookkeeping excluded. */
  tables(): Promise<Map<string, TargetColumn[]>>;
  /** Runs `work` in one transaction, holding every listed table against other writers; rolled back if it throws. */
  transaction<T>(tables: string[], work: (writer: CopyWriter) => Promise<T>): Promise<T>;
  /** The most parameters one statement may carry. */
  readonly maxParameters: number;
  close(): Promise<void>;
}
