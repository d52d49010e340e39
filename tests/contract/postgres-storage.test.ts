import { describe } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { storageContract } from './storage.contract.ts';

// The contracts sqlite-storage.test.ts runs, for the parts PostgreSQL storage has so far; a fresh migrated database
// per test (a copy of a template migrated once for the file).
describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL storage'), () => {
  const postgres = usePostgres();
  const open = async (): Promise<PostgresStorage> =>
    PostgresStorage.open({ url: (await postgres.migratedDatabase()).url, maxConnections: 4 });

  storageContract('postgres', open);
});
