import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export interface DbSnapshot {
  version: number;
  counts: Record<string, number>;
}

/**
 * Watches the app's SQLite file from a second, read-only connection. `PRAGMA data_version` on this connection changes
 * whenever another connection (the app's) commits, so "did a refused request store anything?" is one cheap query;
 * row counts per table say what changed when it did.
 */
export class DbWatch {
  private readonly db: Database.Database;
  private readonly tables: string[];

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.tables = (
      this.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((r) => r.name);
  }

  version(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  snapshot(): DbSnapshot {
    const counts: Record<string, number> = {};
    for (const t of this.tables)
      counts[t] = (this.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    return { version: this.version(), counts };
  }

  /**
   * A hash of every row of every table. A refused benchmark import commits (it is written in short transactions, then
   * deleted again: import-benchmark-queries.ts), so "nothing stored" is the same contents, not the same data_version.
   */
  digest(): string {
    const hash = createHash('sha256');
    for (const t of this.tables) {
      const rows = this.db
        .prepare(`SELECT * FROM "${t}"`)
        .raw()
        .all()
        .map((row) => JSON.stringify(row));
      hash.update(`${t}\n${rows.sort().join('\n')}\n`);
    }
    return hash.digest('hex');
  }

  /** Tables whose row count differs from `before`, as `table a→b`. */
  changedTables(before: DbSnapshot): string[] {
    const now = this.snapshot().counts;
    return this.tables.filter((t) => now[t] !== before.counts[t]).map((t) => `${t} ${before.counts[t]}→${now[t]}`);
  }

  /**
   * Waits until no commit has happened for `quietMs` (background work started by an accepted request: a model turn, a
   * twin reply, a batch run), at most `maxMs`. Returns false if the database never went quiet.
   */
  async settle(quietMs = 60, maxMs = 20_000): Promise<boolean> {
    const started = Date.now();
    let last = this.version();
    let since = Date.now();
    while (Date.now() - started < maxMs) {
      await new Promise((r) => setTimeout(r, 10));
      const v = this.version();
      if (v !== last) {
        last = v;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) {
        return true;
      }
    }
    return false;
  }

  close(): void {
    this.db.close();
  }
}
