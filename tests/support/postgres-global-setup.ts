import type { TestProject } from 'vitest/node';
import { postgresInstalled, startPostgresCluster, type PostgresClusterAddress } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL cluster (tests/support/postgres-database.ts makes a database per test file on it). */
    postgresCluster: PostgresClusterAddress | null;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole test run (about two seconds to initdb and start), stopped and removed
 * by the teardown, which vitest runs whether the tests passed or not. Without PostgreSQL installed the tests that need
 * it skip themselves.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (!postgresInstalled) {
    project.provide('postgresCluster', null);
    return undefined;
  }
  let cluster: Awaited<ReturnType<typeof startPostgresCluster>>;
  try {
    cluster = await startPostgresCluster();
  } catch {
    // A cluster that cannot start must not fail the integration tests that do not use it: the PostgreSQL tests then
    // try to start one of their own (usePostgres), and fail with the reason.
    project.provide('postgresCluster', null);
    return undefined;
  }
  project.provide('postgresCluster', { host: cluster.host, port: cluster.port, user: cluster.user });
  return () => cluster.stop();
}
