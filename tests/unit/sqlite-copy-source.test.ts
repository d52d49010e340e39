import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CopyRefusedError, foreignKeyOrder } from '../../server/storage/copy-sqlite-to-postgres.ts';
import { SqliteCopySource } from '../../server/storage/sqlite/sqlite-copy-source.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * The SQLite side of `prefdisco migrate-storage`: the schema as the copy sees it (foreign keys, rowid or not), rows in
 * insertion order in batches bounded by rows and by text, and the foreign-key order of the copy.
 */
const dir = tempDir('prefdisco-copy-source-');

function sampleFile(): string {
  const file = join(dir, `source-${Math.random().toString(36).slice(2)}.sqlite`);
  const db = new Database(file);
  db.exec(`
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
    INSERT INTO schema_migrations VALUES (1, '001-a.sql', 'x'), (2, '002-b.sql', 'x');
    CREATE TABLE parents (id TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE children (id INTEGER PRIMARY KEY, parent TEXT REFERENCES parents(id), twin INTEGER REFERENCES children(id));
    CREATE TABLE tags (parent TEXT NOT NULL REFERENCES parents(id), tag TEXT NOT NULL, PRIMARY KEY (parent, tag)) WITHOUT ROWID;
  `);
  const parent = db.prepare('INSERT INTO parents (id, body) VALUES (?, ?)');
  // Inserted out of key order: the copy keeps insertion (rowid) order.
  for (const id of ['p3', 'p1', 'p2', 'p5', 'p4']) parent.run(id, id.repeat(100));
  db.prepare("INSERT INTO tags VALUES ('p2', 'b'), ('p1', 'z'), ('p1', 'a')").run();
  db.close();
  return file;
}

describe('SqliteCopySource', () => {
  it('lists the tables with their foreign keys, without migration bookkeeping', () => {
    const source = new SqliteCopySource(sampleFile());
    try {
      expect(source.migrationVersions()).toEqual([1, 2]);
      expect(source.tables()).toEqual([
        { name: 'children', columns: ['id', 'parent', 'twin'], references: ['children', 'parents'], hasRowid: true },
        { name: 'parents', columns: ['id', 'body'], references: [], hasRowid: true },
        { name: 'tags', columns: ['parent', 'tag'], references: ['parents'], hasRowid: false },
      ]);
      expect(source.serverLease()).toBeNull();
      expect(source.rowCount('parents')).toBe(5);
    } finally {
      source.close();
    }
  });

  it('reads rows in insertion order, in batches bounded by rows and by text', () => {
    const source = new SqliteCopySource(sampleFile());
    try {
      const byRows = [...source.batches('parents', ['rowid', 'id'], 2, 1_000_000)];
      expect(byRows).toEqual([
        [
          [1, 'p3'],
          [2, 'p1'],
        ],
        [
          [3, 'p2'],
          [4, 'p5'],
        ],
        [[5, 'p4']],
      ]);
      // Each body is 200 characters: a 450-character bound closes a batch at its third row.
      const byText = [...source.batches('parents', ['id', 'body'], 100, 450)].map((b) => b.length);
      expect(byText).toEqual([3, 2]);
      // A WITHOUT ROWID table comes in primary-key order.
      expect([...source.batches('tags', ['parent', 'tag'], 100, 1_000_000)].flat()).toEqual([
        ['p1', 'a'],
        ['p1', 'z'],
        ['p2', 'b'],
      ]);
    } finally {
      source.close();
    }
  });

  it('orders referenced tables first and refuses a cycle', () => {
    const source = new SqliteCopySource(sampleFile());
    try {
      expect(foreignKeyOrder(source.tables()).map((t) => t.name)).toEqual(['parents', 'children', 'tags']);
    } finally {
      source.close();
    }
    const cycle = [
      { name: 'a', columns: [], references: ['b'], hasRowid: true },
      { name: 'b', columns: [], references: ['a'], hasRowid: true },
    ];
    expect(() => foreignKeyOrder(cycle)).toThrow(CopyRefusedError);
    expect(() => foreignKeyOrder(cycle)).toThrow('the foreign keys of a -> b -> a form a cycle');
  });
});
