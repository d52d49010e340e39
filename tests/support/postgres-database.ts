import { afterAll, beforeAll, inject } from 'vitest';
import {
  createDatabase,
  dropDatabase,
  startPostgresCluster,
  type PostgresCluster,
  type PostgresClusterAddress,
} from './postgres-cluster.ts';
import './postgres-global-setup.ts';

export interface PostgresForFile {
  /** The cluster (valid inside tests and hooks). */
  address(): PostgresClusterAddress;
  /** A fresh empty database on it, dropped after the file; `template` copies a prepared one instead. */
  database(options?: { template?: string }): Promise<{ name: string; url: string }>;
}

/**
 * PostgreSQL for one test file, inside a `describe.skipIf(!postgresInstalled)`: the run's cluster from the global
 * setup (tests/support/postgres-global-setup.ts), or, when the file runs in a project without it, a cluster of the
 * file's own. Every database it made is dropped after the file, also when a test failed.
 */
export function usePostgres(): PostgresForFile {
  let address: PostgresClusterAddress | null = null;
  let own: PostgresCluster | null = null;
  const made: string[] = [];
  beforeAll(async () => {
    address = inject('postgresCluster') ?? null;
    if (!address) {
      own = await startPostgresCluster();
      address = own;
    }
  });
  afterAll(async () => {
    try {
      if (address && !own) for (const name of made) await dropDatabase(address, name);
    } finally {
      own?.stop();
    }
  });
  const current = (): PostgresClusterAddress => {
    if (!address) throw new Error('usePostgres(): the cluster is not started yet (use it inside tests and hooks)');
    return address;
  };
  return {
    address: current,
    database: async (options = {}) => {
      const created = await createDatabase(current(), options);
      made.push(created.name);
      return created;
    },
  };
}
