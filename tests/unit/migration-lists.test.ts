import { describe, expect, it } from 'vitest';
import { readPostgresMigrations } from '../../server/storage/postgres/migrate.ts';
import { readMigrations } from '../../server/storage/sqlite/migrate.ts';

describe('migration lists of the two engines', () => {
  it('SQLite and PostgreSQL have one migration each per number, with the same names', () => {
    const sqlite = readMigrations().map((m) => m.name);
    const postgres = readPostgresMigrations().map((m) => m.name);
    expect(sqlite.length).toBeGreaterThanOrEqual(18);
    expect(postgres).toEqual(sqlite);
  });
});
