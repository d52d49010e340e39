import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig, PROJECT_ROOT } from '../../server/config.ts';
import { commandDatabase } from '../../server/open-storage.ts';

describe('PREFDISCO_DATABASE_URL', () => {
  it('unset: the SQLite file of PREFDISCO_DB, resolved against the project root', () => {
    const config = loadConfig({ PREFDISCO_DB: 'data/x.sqlite' });
    expect(config.database).toEqual({ kind: 'sqlite', file: `${PROJECT_ROOT}data/x.sqlite` });
    expect(loadConfig({ PREFDISCO_DATABASE_URL: '' }).database.kind).toBe('sqlite');
  });

  it('a postgres:// or postgresql:// URL selects PostgreSQL', () => {
    for (const url of ['postgres://app@db.example:5432/prefdisco', 'postgresql://app:pw@localhost/prefdisco']) {
      expect(loadConfig({ PREFDISCO_DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    }
  });

  it('any other value is a ConfigError that does not repeat the value (it may hold a password)', () => {
    for (const url of ['mysql://app:s3cret@db/prefdisco', 'data/prefdisco.sqlite', 'not a url s3cret']) {
      let error: unknown = null;
      try {
        loadConfig({ PREFDISCO_DATABASE_URL: url });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('PREFDISCO_DATABASE_URL: expected a postgres:// or postgresql:// URL');
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('messages name a PostgreSQL database without its password', () => {
    expect(describeDatabase({ kind: 'postgres', url: 'postgresql://app:s3cret@db.example:5432/prefdisco' })).toBe(
      'postgresql://app:***@db.example:5432/prefdisco',
    );
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://app@db.example/prefdisco' })).toBe(
      'postgres://app@db.example/prefdisco',
    );
    expect(describeDatabase({ kind: 'sqlite', file: '/srv/prefdisco.sqlite' })).toBe('/srv/prefdisco.sqlite');
  });

  it('a CLI command’s --db names an SQLite file, otherwise the configured database is used', () => {
    const configured = { kind: 'postgres', url: 'postgres://app@db/prefdisco' } as const;
    expect(commandDatabase('/srv/x.sqlite', configured)).toEqual({ kind: 'sqlite', file: '/srv/x.sqlite' });
    expect(commandDatabase(undefined, configured)).toBe(configured);
  });
});
