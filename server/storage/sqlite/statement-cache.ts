import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * `db.prepare(sql)`, prepared once per database and SQL text. Why: the live path runs the same few statements
 * thousands of times a minute, and preparing (parsing and planning the SQL) cost about as much as running them.
 * A reused statement is handed back in its default mode, so call sites chain `.pluck()` exactly as after `prepare`.
 * Not for statements read with `.iterate()` across an await: a second user of the same text would find it busy.
 */
export function cachedStatement(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const existing = cache.get(sql);
  if (existing) {
    if (existing.reader) existing.pluck(false);
    return existing;
  }
  const statement = db.prepare(sql);
  cache.set(sql, statement);
  return statement;
}
