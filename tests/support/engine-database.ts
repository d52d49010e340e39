import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DatabaseLocation } from '../../server/config.ts';
import { postgresInstalled } from './postgres-cluster.ts';
import { needsPostgres, usePostgres } from './postgres-database.ts';
import { tempDir } from './temp-files.ts';

/**
 * One test body on both storage engines: a served process (or an in-process storage) on an SQLite file or on a
 * PostgreSQL database, and the test's own reads of what was stored, beside the server, in either. Issue 19 asks for
 * the crash tests and the rest of the suite on both engines; the bodies stay one, only the database differs.
 */
export type Engine = 'sqlite' | 'postgres';

export interface EngineDatabase {
  engine: Engine;
  /** A folder of the suite's own (runs, models file, the SQLite file). */
  dir: string;
  /** The served process's database setting: PREFDISCO_DB, or PREFDISCO_DATABASE_URL (which wins over PREFDISCO_DB). */
  env: Record<string, string>;
  /** The database, as openStorage (server/open-storage.ts) takes it. */
  location: DatabaseLocation;
  /** The rows of one statement (`?` placeholders), on the test's own connection; a write returns no rows. */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The names of the schema's tables (ours only: not SQLite's own, nor pg-boss's schema). */
  tables(): Promise<string[]>;
  /**
   * An SQLite file holding these tables' rows as they are now, for the checks that read a file (bench/support
   * live-verify.ts, stored-twins.ts): the database itself on SQLite, a fresh copy of the tables on PostgreSQL.
   */
  sqliteSnapshot(tables: readonly string[]): Promise<string>;
}

/**
 * Declares `body` once per engine, each in its own describe: PostgreSQL's is skipped (and says why) where it is not
 * installed. `database()` is valid inside tests and hooks; for PostgreSQL it is a fresh empty database (the served
 * process migrates it) or, with `migrated`, one with every migration applied.
 */
export function describeOnEngines(
  name: string,
  body: (engine: Engine, database: () => EngineDatabase) => void,
  options: { migrated?: boolean } = {},
): void {
  describe(`${name} (SQLite)`, () => {
    const dir = tempDir('prefdisco-sqlite-');
    const file = join(dir, 'test.sqlite');
    const database = sqliteDatabase(dir, file);
    body('sqlite', () => database);
  });
  describe.skipIf(!postgresInstalled)(needsPostgres(`${name} (PostgreSQL)`), () => {
    const postgres = usePostgres();
    let database: EngineDatabase | null = null;
    // The test's own connections (one at a time: its reads are few and in order), closed before the database is dropped.
    let pool: pg.Pool | null = null;
    beforeAll(async () => {
      const { url } = options.migrated ? await postgres.migratedDatabase() : await postgres.database();
      pool = new pg.Pool({ connectionString: url, max: 1 });
      // An idle connection the cluster ends (at the run's teardown) must not throw out of the test process.
      pool.on('error', () => undefined);
      database = postgresDatabase(tempDir('prefdisco-pg-'), url, pool);
    }, 60_000);
    afterAll(async () => {
      await pool?.end();
    });
    body('postgres', () => {
      if (!database) throw new Error('the PostgreSQL database is made in beforeAll: use it inside tests and hooks');
      return database;
    });
  });
}

function sqliteDatabase(dir: string, file: string): EngineDatabase {
  return {
    engine: 'sqlite',
    dir,
    env: { PREFDISCO_DB: file },
    location: { kind: 'sqlite', file },
    rows: async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
      // Reads on a read-only connection: closing a writable one, the last on the file, would checkpoint the WAL a
      // killed server left, which the next server should find and recover.
      const reader = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const statement = reader.prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
      } finally {
        reader.close();
      }
      const writer = new Database(file, { fileMustExist: true });
      try {
        writer.prepare(sql).run(...params);
        return [];
      } finally {
        writer.close();
      }
    },
    tables: async () => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
          .pluck()
          .all() as string[];
      } finally {
        db.close();
      }
    },
    sqliteSnapshot: async () => file,
  };
}

/** `?` placeholders as PostgreSQL's `$1, $2 …` (the tests' statements have no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// SQLite column types for the copy, so a number stays a number (pg returns BIGINT as text).
const SQLITE_TYPE: Record<string, string> = {
  integer: 'INTEGER',
  bigint: 'INTEGER',
  smallint: 'INTEGER',
  'double precision': 'REAL',
  real: 'REAL',
  numeric: 'REAL',
  bytea: 'BLOB',
};

/** A value pg read, as better-sqlite3 binds it (it takes no booleans or dates). */
function sqliteValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function postgresDatabase(dir: string, url: string, pool: pg.Pool): EngineDatabase {
  const withClient = async <T>(use: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await use(client);
    } finally {
      client.release();
    }
  };
  return {
    engine: 'postgres',
    dir,
    // PREFDISCO_DB names a file that must stay unused: the URL wins.
    env: { PREFDISCO_DB: join(dir, 'unused.sqlite'), PREFDISCO_DATABASE_URL: url },
    location: { kind: 'postgres', url },
    rows: async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> =>
      withClient(async (client) => (await client.query(numbered(sql), [...params])).rows as T[]),
    tables: async () =>
      withClient(async (client) =>
        (
          await client.query<{ name: string }>(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
          )
        ).rows.map((r) => r.name),
      ),
    sqliteSnapshot: async (tables) => {
      // One file, made again each time: a poll takes many snapshots.
      const file = join(dir, 'snapshot.sqlite');
      rmSync(file, { force: true });
      const copy = new Database(file);
      try {
        await withClient(async (client) => {
          // One snapshot of every table (REPEATABLE READ), as the one SQLite read transaction would see them.
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          try {
            for (const table of tables) {
              const columns = (
                await client.query<{ name: string; type: string }>(
                  `SELECT column_name AS name, data_type AS type FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
                  [table],
                )
              ).rows;
              if (columns.length === 0) throw new Error(`no table ${table} in the PostgreSQL database`);
              const names = columns.map((c) => `"${c.name}"`);
              copy.exec(
                `CREATE TABLE "${table}" (${columns.map((c) => `"${c.name}" ${SQLITE_TYPE[c.type] ?? 'TEXT'}`).join(', ')})`,
              );
              const insert = copy.prepare(
                `INSERT INTO "${table}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
              );
              const rows = (await client.query<Record<string, unknown>>(`SELECT ${names.join(', ')} FROM "${table}"`))
                .rows;
              copy.transaction(() => {
                for (const row of rows) insert.run(...columns.map((c) => sqliteValue(row[c.name])));
              })();
            }
          } finally {
            // Read only: ending it either way changes nothing, and the pooled connection goes back outside a transaction.
            await client.query('COMMIT');
          }
        });
      } finally {
        copy.close();
      }
      return file;
    },
  };
}
