import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyPostgresMigrations } from '../../server/storage/postgres/migrate.ts';
import { applyMigrations } from '../../server/storage/sqlite/migrate.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * The schema both engines end up with after every migration, in one comparable shape: which tables and views there
 * are, their columns (name, whether NULL is allowed, the kind of value, the default), the named indexes (unique, partial) and the
 * foreign keys. What differs on purpose is left out: PostgreSQL's explicit `rowid` columns are SQLite's implicit rowid
 * (001's comment says why), and indexes PostgreSQL makes for UNIQUE/PRIMARY KEY are SQLite's automatic ones.
 */
interface Schema {
  tables: Record<string, string[]>;
  views: Record<string, string[]>;
  indexes: string[];
  foreignKeys: string[];
}

/** SQLite's declared types and PostgreSQL's data types, by the kind of value the app stores. */
const KIND: Record<string, string> = {
  TEXT: 'text',
  INTEGER: 'integer',
  REAL: 'float',
  text: 'text',
  integer: 'integer',
  bigint: 'integer',
  'double precision': 'float',
};

/** A column as the comparison sees it; PostgreSQL writes a text default with its type (`'done'::text`), SQLite not. */
function column(name: string, type: string, nullable: boolean, defaultValue: string | null): string {
  const shownDefault = defaultValue === null ? '' : ` default ${defaultValue.replace(/::text$/, '')}`;
  return `${name} ${KIND[type] ?? `unknown type ${type}`}${nullable ? '' : ' not null'}${shownDefault}`;
}

function sqliteSchema(file: string): Schema {
  const db = new Database(file);
  try {
    applyMigrations(db);
    const objects = db
      .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
      .all() as { type: 'table' | 'view'; name: string }[];
    const schema: Schema = { tables: {}, views: {}, indexes: [], foreignKeys: [] };
    for (const { type, name } of objects) {
      const columns = db
        .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)')
        .all(name) as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }[];
      // A view's columns carry their source's nullability in PostgreSQL's catalogue only as "YES": compare names.
      if (type === 'view') {
        schema.views[name] = columns.map((c) => c.name).sort();
        continue;
      }
      // SQLite lets a non-INTEGER primary key hold NULL (a historical quirk); the app never stores one, and
      // PostgreSQL forbids it: a key column counts as NOT NULL.
      schema.tables[name] = columns
        .map((c) => column(c.name, c.type, c.notnull === 0 && c.pk === 0, c.dflt_value))
        .sort();
      const indexes = db.prepare('SELECT name, "unique", partial, origin FROM pragma_index_list(?)').all(name) as {
        name: string;
        unique: number;
        partial: number;
        origin: string;
      }[];
      for (const index of indexes.filter((i) => i.origin === 'c')) {
        schema.indexes.push(`${name}.${index.name}${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`);
      }
      const keys = db
        .prepare('SELECT id, "table", "from" FROM pragma_foreign_key_list(?) ORDER BY id, seq')
        .all(name) as {
        id: number;
        table: string;
        from: string;
      }[];
      const byId = new Map<number, { table: string; from: string[] }>();
      for (const key of keys) {
        const entry = byId.get(key.id) ?? { table: key.table, from: [] };
        entry.from.push(key.from);
        byId.set(key.id, entry);
      }
      for (const key of byId.values()) schema.foreignKeys.push(`${name}(${key.from.join(', ')}) -> ${key.table}`);
    }
    schema.indexes.sort();
    schema.foreignKeys.sort();
    return schema;
  } finally {
    db.close();
  }
}

async function postgresSchema(client: pg.Client): Promise<Schema> {
  await applyPostgresMigrations(client);
  const schema: Schema = { tables: {}, views: {}, indexes: [], foreignKeys: [] };
  const columns = await client.query<{
    table_name: string;
    table_type: string;
    column_name: string;
    data_type: string;
    is_nullable: 'YES' | 'NO';
    column_default: string | null;
  }>(`SELECT t.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable, c.column_default
      FROM information_schema.tables t
      JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
      WHERE t.table_schema = 'public' AND c.column_name <> 'rowid'`);
  for (const row of columns.rows) {
    if (row.table_type === 'VIEW') {
      (schema.views[row.table_name] ??= []).push(row.column_name);
    } else {
      (schema.tables[row.table_name] ??= []).push(
        column(row.column_name, row.data_type, row.is_nullable === 'YES', row.column_default),
      );
    }
  }
  for (const list of [...Object.values(schema.tables), ...Object.values(schema.views)]) list.sort();
  const indexes = await client.query<{ table_name: string; index_name: string; unique: boolean; partial: boolean }>(
    `SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
  );
  schema.indexes = indexes.rows
    .map((i) => `${i.table_name}.${i.index_name}${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`)
    .sort();
  const keys = await client.query<{ table_name: string; columns: string[]; referenced: string }>(
    `SELECT t.relname AS table_name, r.relname AS referenced,
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns
     FROM pg_constraint k
     JOIN pg_class t ON t.oid = k.conrelid
     JOIN pg_class r ON r.oid = k.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public'`,
  );
  schema.foreignKeys = keys.rows.map((k) => `${k.table_name}(${k.columns.join(', ')}) -> ${k.referenced}`).sort();
  return schema;
}

describe.skipIf(!postgresInstalled)(needsPostgres('schema equivalence of SQLite and PostgreSQL'), () => {
  const postgres = usePostgres();
  const dir = tempDir();

  it('every migration leaves the same tables, columns (with defaults), views, indexes and foreign keys in both engines', async () => {
    const sqlite = sqliteSchema(join(dir, 'fresh.sqlite'));
    const client = new pg.Client({ connectionString: (await postgres.database()).url });
    await client.connect();
    try {
      const postgresResult = await postgresSchema(client);
      // Sanity: the comparison sees the whole schema, not two empty ones.
      expect(Object.keys(sqlite.views)).toEqual(['visible_records']);
      expect(Object.keys(sqlite.tables).length).toBeGreaterThanOrEqual(30);
      expect(sqlite.tables.records).toContain('float_paths_json text');
      expect(sqlite.tables.benchmark_files).toContain("status text not null default 'done'");
      expect(sqlite.indexes).toContain('play_leases.play_leases_one_active unique partial');
      expect(postgresResult.tables).toEqual(sqlite.tables);
      expect(postgresResult.views).toEqual(sqlite.views);
      expect(postgresResult.indexes).toEqual(sqlite.indexes);
      expect(postgresResult.foreignKeys).toEqual(sqlite.foreignKeys);
    } finally {
      await client.end();
    }
  });
});
