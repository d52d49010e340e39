import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MigrationError } from '../../server/storage/errors.ts';
import { applyPostgresMigrations, readPostgresMigrations } from '../../server/storage/postgres/migrate.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function appliedVersions(client: pg.Client): Promise<number[]> {
  const rows = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.rows.map((row) => row.version);
}

describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL migrations'), () => {
  const postgres = usePostgres();
  const shipped = readPostgresMigrations();

  it('apply to a fresh database in order, and a second apply is a no-op', async () => {
    const client = await connect((await postgres.database()).url);
    try {
      expect(await applyPostgresMigrations(client)).toEqual(shipped.map((m) => m.name));
      expect(await applyPostgresMigrations(client)).toEqual([]);
      expect(await appliedVersions(client)).toEqual(shipped.map((m) => m.version));
    } finally {
      await client.end();
    }
  });

  it('two connections migrating at once apply each migration exactly once', async () => {
    const { url } = await postgres.database();
    const [a, b] = await Promise.all([connect(url), connect(url)]);
    try {
      const [doneA, doneB] = await Promise.all([applyPostgresMigrations(a), applyPostgresMigrations(b)]);
      // The lock serialises them: whichever came second found everything applied.
      expect([...doneA, ...doneB]).toEqual(shipped.map((m) => m.name));
      expect([doneA.length, doneB.length].sort((x, y) => x - y)).toEqual([0, shipped.length]);
      expect(await appliedVersions(a)).toEqual(shipped.map((m) => m.version));
      // Neither connection still holds the migration lock.
      const locks = await a.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'");
      expect(locks.rows[0]?.n).toBe('0');
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('copies of the migrated template are complete and independent of each other', async () => {
    const [first, second] = [await postgres.migratedDatabase(), await postgres.migratedDatabase()];
    expect(first.name).not.toBe(second.name);
    const [a, b] = await Promise.all([connect(first.url), connect(second.url)]);
    try {
      expect(await appliedVersions(a)).toEqual(shipped.map((m) => m.version));
      expect(await applyPostgresMigrations(b)).toEqual([]);
      await a.query("INSERT INTO studies (id, name, created_at) VALUES ('s1', 'Only in the first', 't')");
      expect((await a.query('SELECT id FROM studies')).rows).toEqual([{ id: 's1' }]);
      expect((await b.query('SELECT id FROM studies')).rows).toEqual([]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('a failing migration is rolled back and named, and the lock is released', async () => {
    const migrations = [
      { version: 1, name: '001-ok.sql', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: '002-broken.sql', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1);' },
    ];
    const client = await connect((await postgres.database()).url);
    try {
      const failure = await applyPostgresMigrations(client, migrations).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect(String(failure)).toMatch(/002-broken\.sql.*relation "missing" does not exist/);
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_name IN ('a', 'b') ORDER BY 1",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(['a']);
      expect(await appliedVersions(client)).toEqual([1]);
      const locks = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'");
      expect(locks.rows[0]?.n).toBe('0');
    } finally {
      await client.end();
    }
  });

  it('refuse a database newer than the app', async () => {
    const client = await connect((await postgres.database()).url);
    try {
      await applyPostgresMigrations(client);
      await client.query("INSERT INTO schema_migrations VALUES (999, '999-future.sql', 'now')");
      await expect(applyPostgresMigrations(client)).rejects.toThrowError(/999.*newer than this version/);
    } finally {
      await client.end();
    }
  });

  it('carry existing rows through the data migrations (009 revoke mode, 017 owners) as SQLite does', async () => {
    const client = await connect((await postgres.database()).url);
    try {
      await applyPostgresMigrations(client, shipped.slice(0, 8));
      await client.query(
        "INSERT INTO studies (id, name, created_at) VALUES ('s1', 'Study', '2026-01-01T00:00:00.000Z')",
      );
      await client.query(`INSERT INTO study_invites (code, study_id, role, created_at, revoked)
        VALUES ('c1', 's1', 'actor', '2026-01-01T00:00:00.000Z', 1), ('c2', 's1', 'rater', '2026-01-01T00:00:00.000Z', 0)`);
      await client.query(`INSERT INTO researchers (id, username, password_hash, created_at)
        VALUES ('r1', 'Alice', 'x', '2026-01-01T00:00:00.000Z')`);
      await applyPostgresMigrations(client);
      const invites = await client.query('SELECT code, revoke_mode, label FROM study_invites ORDER BY code');
      expect(invites.rows).toEqual([
        { code: 'c1', revoke_mode: 'finish', label: '' },
        { code: 'c2', revoke_mode: null, label: '' },
      ]);
      const members = await client.query('SELECT study_id, researcher_id, role, added_at, added_by FROM study_members');
      expect(members.rows).toHaveLength(1);
      expect(members.rows[0]).toMatchObject({ study_id: 's1', researcher_id: 'r1', role: 'owner', added_by: null });
      // The time written the way SQLite's strftime('%Y-%m-%dT%H:%M:%fZ') writes it, so times still compare as text.
      expect(String((members.rows[0] as { added_at: unknown }).added_at)).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
    } finally {
      await client.end();
    }
  });

  it('compare usernames without case, as SQLite NOCASE does', async () => {
    const client = await connect((await postgres.database()).url);
    try {
      await applyPostgresMigrations(client);
      await client.query("INSERT INTO researchers VALUES ('r1', 'Alice', 'x', '2026-01-01T00:00:00.000Z')");
      await expect(
        client.query("INSERT INTO researchers VALUES ('r2', 'ALICE', 'x', '2026-01-01T00:00:00.000Z')"),
      ).rejects.toThrowError(/duplicate key/);
      const found = await client.query("SELECT id FROM researchers WHERE username = 'alice'");
      expect(found.rows).toEqual([{ id: 'r1' }]);
      await client.query(`INSERT INTO login_throttle VALUES ('Bob', 1, 't', NULL, 0, 't')`);
      await expect(
        client.query(`INSERT INTO login_throttle VALUES ('bob', 1, 't', NULL, 0, 't')`),
      ).rejects.toThrowError(/duplicate key/);
    } finally {
      await client.end();
    }
  });
});
