import type { ServerLeaseHolder } from './server-lease-storage.ts';
import type { CellValue, CopySource, CopyTarget, SourceTable, TargetColumn } from './table-copy.ts';

/**
 * `prefdisco migrate-storage`: every table of an SQLite database copied into an empty, migrated PostgreSQL database,
 * table by table in foreign-key order, in one PostgreSQL transaction (all or nothing), in bounded batches. The table
 * list comes from the source's schema, not from a list here, so a table a later migration adds is copied too; the
 * two schemas must be at the same migration level, and every table of the source in the target with its columns.
 */

/** The copy was refused before anything was written; the message says why and what to do, in one line. */
export class CopyRefusedError extends Error {}

/** The copy failed while writing; the transaction was rolled back, so the target is as it was. */
export class CopyFailedError extends Error {
  constructor(
    readonly table: string,
    cause: unknown,
  ) {
    super(
      `copying table ${table} failed, nothing was written: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

/**
 * Not copied: which processes serve *this* database (the exclusive server lease, the nodes' leases). The SQLite file's
 * holders mean nothing to the PostgreSQL database, and a stale row there would only delay the first server's start.
 */
export const NOT_COPIED = ['server_lease', 'server_nodes'];

export interface CopyProgress {
  table: string;
  /** 1-based position of the table in the copy order. */
  tableNumber: number;
  tableCount: number;
  rowsCopied: number;
  totalRows: number;
}

export interface CopyOptions {
  now: Date;
  /** Asked about an unexpired lease on the source: whether its holder is known to be gone (crashed on this host). */
  holderIsGone?: (holder: ServerLeaseHolder) => boolean;
  onProgress?: (progress: CopyProgress) => void;
  /** Rows per INSERT at most (also bounded by PostgreSQL's parameter limit); default 500. */
  batchRows?: number;
  /** Text per INSERT at most, roughly, in characters; default 8 MB, so imported records never pile up in memory. */
  batchBytes?: number;
}

export interface CopyReport {
  /** Tables in copy order, each with its row count (the same on both sides, checked before the commit). */
  tables: { name: string; rows: number }[];
  totalRows: number;
  migrationLevel: number;
}

const level = (versions: number[]): number => Math.max(0, ...versions);
const padded = (version: number): string => String(version).padStart(3, '0');

function refuseServedSource(source: CopySource, options: CopyOptions): void {
  const holder = source.serverLease();
  if (!holder || holder.expiresAt <= options.now.toISOString() || options.holderIsGone?.(holder)) return;
  throw new CopyRefusedError(
    `the SQLite file is served by process ${holder.pid} on ${holder.host} (lease until ${holder.expiresAt}): ` +
      'stop that server first, so nothing is written during the copy',
  );
}

function refuseOtherLevels(sourceVersions: number[], targetVersions: number[]): number {
  if (sourceVersions.length === 0)
    throw new CopyRefusedError('the SQLite file is not a PrefDisco database (it has no schema_migrations table)');
  const same =
    sourceVersions.length === targetVersions.length && sourceVersions.every((v, i) => v === targetVersions[i]);
  if (same) return level(targetVersions);
  const from = padded(level(sourceVersions));
  const to = padded(level(targetVersions));
  throw new CopyRefusedError(
    `the SQLite file is at migration ${from} and the PostgreSQL database at ${to}: ` +
      (level(sourceVersions) < level(targetVersions)
        ? 'open the file once with this version of the app first (start prefdisco serve on it, then stop it), which applies its migrations'
        : 'the file was written by a newer version of the app: migrate with that version'),
  );
}

/** The source's columns in the target, plus the target's explicit `rowid` column filled from SQLite's implicit one. */
function copiedColumns(table: SourceTable, target: TargetColumn[]): string[] {
  const names = new Set(target.map((c) => c.name));
  const missing = table.columns.filter((c) => !names.has(c));
  if (missing.length > 0)
    throw new CopyRefusedError(`table ${table.name}: column ${missing.join(', ')} is not in the PostgreSQL database`);
  const extra = target.filter((c) => !table.columns.includes(c.name));
  for (const column of extra) {
    if (column.name !== 'rowid' || !table.hasRowid)
      throw new CopyRefusedError(`table ${table.name}: column ${column.name} is not in the SQLite file`);
  }
  return extra.length > 0 ? [...table.columns, 'rowid'] : table.columns;
}

/** Referenced tables before the tables that refer to them (a table's references to itself are left to row order). */
export function foreignKeyOrder(tables: SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: SourceTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: SourceTable, path: string[]): void => {
    const seen = state.get(table.name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw new CopyRefusedError(`the foreign keys of ${[...path, table.name].join(' -> ')} form a cycle`);
    state.set(table.name, 'visiting');
    for (const name of table.references) {
      const referenced = byName.get(name);
      if (name !== table.name && referenced) visit(referenced, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}

export async function copySqliteToPostgres(
  source: CopySource,
  target: CopyTarget,
  options: CopyOptions,
): Promise<CopyReport> {
  refuseServedSource(source, options);
  const migrationLevel = refuseOtherLevels(source.migrationVersions(), await target.migrationVersions());
  const targetTables = await target.tables();
  const sourceTables = source.tables();
  const plan = foreignKeyOrder(sourceTables.filter((t) => !NOT_COPIED.includes(t.name))).map((table) => {
    const columns = targetTables.get(table.name);
    if (!columns)
      throw new CopyRefusedError(`table ${table.name} is in the SQLite file but not the PostgreSQL database`);
    const copied = copiedColumns(table, columns);
    const overriding = columns.some((c) => c.identity === 'ALWAYS' && copied.includes(c.name));
    return { table, columns: copied, overriding, rows: source.rowCount(table.name) };
  });
  // Tables only the target has are not ours as the source knows them (the Socket.IO adapter's attachments table is
  // made by the app at start, outside the migrations): neither checked nor written. The same migration level means
  // the same schema otherwise.
  const shared = [...targetTables.keys()].filter((name) => sourceTables.some((t) => t.name === name));
  const totalRows = plan.reduce((sum, step) => sum + step.rows, 0);
  const batchBytes = options.batchBytes ?? 8_000_000;

  return target.transaction(shared, async (writer) => {
    const holding = await writer.nonEmptyTables(shared);
    if (holding.length > 0)
      throw new CopyRefusedError(
        `the PostgreSQL database already holds data (table ${holding.join(', ')}): migrate into an empty database`,
      );
    let rowsCopied = 0;
    for (const [index, step] of plan.entries()) {
      const progress = (): void =>
        options.onProgress?.({
          table: step.table.name,
          tableNumber: index + 1,
          tableCount: plan.length,
          rowsCopied,
          totalRows,
        });
      progress();
      const batchRows = Math.max(
        1,
        Math.min(options.batchRows ?? 500, Math.floor(target.maxParameters / step.columns.length)),
      );
      try {
        const batches: Iterable<CellValue[][]> = source.batches(step.table.name, step.columns, batchRows, batchBytes);
        for (const rows of batches) {
          await writer.insert(step.table.name, step.columns, rows, step.overriding);
          rowsCopied += rows.length;
          progress();
        }
      } catch (error) {
        throw new CopyFailedError(step.table.name, error);
      }
    }
    await writer.resetIdentities(plan.map((step) => step.table.name));
    const tables: CopyReport['tables'] = [];
    for (const step of plan) {
      const copied = await writer.rowCount(step.table.name);
      if (copied !== step.rows)
        throw new CopyFailedError(step.table.name, new Error(`${copied} rows arrived of ${step.rows}`));
      tables.push({ name: step.table.name, rows: copied });
    }
    return { tables, totalRows, migrationLevel };
  });
}
