import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Two app nodes on one PostgreSQL database count the HTTP rate limits together (migration 021's table): a client
 * spreading sign-in attempts over both nodes gets no more than the limit, per route, as from one process.
 */
const dir = tempDir('prefdisco-shared-limits-');
const LOGINS_PER_MINUTE = 3;

interface Node {
  app: FastifyInstance;
  storage: PostgresStorage;
}

describe.skipIf(!postgresInstalled)(needsPostgres('HTTP rate limits shared by two app nodes'), () => {
  const postgres = usePostgres();
  const nodes: Node[] = [];
  let url = '';

  beforeAll(async () => {
    ({ url } = await postgres.migratedDatabase());
    for (let i = 0; i < 2; i++) {
      const storage = await PostgresStorage.open({ url, maxConnections: 2 });
      const app = await buildApp({
        config: { clientDir: join(dir, 'no-client'), database: { kind: 'postgres', url } },
        storage,
        rateLimits: { loginPerMinute: LOGINS_PER_MINUTE, joinPerMinute: 1000 },
      });
      nodes.push({ app, storage });
    }
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) {
      await node.app.close();
      await node.storage.close();
    }
  });

  const login = async (node: Node, n: number): Promise<number> =>
    (
      await node.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        // A new name each time: the per-username lockout must not be what answers.
        payload: { username: `nobody-${n}`, password: 'not the password' },
        remoteAddress: '203.0.113.7',
      })
    ).statusCode;

  it('refuses the attempt past the limit whichever node it reaches, and counts each route apart', async () => {
    const [a, b] = nodes as [Node, Node];
    const statuses = [await login(a, 1), await login(b, 2), await login(a, 3), await login(b, 4), await login(a, 5)];
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Another address has its own count.
    const other = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody-6', password: 'not the password' },
      remoteAddress: '203.0.113.8',
    });
    expect(other.statusCode).toBe(401);
    // Joining is another route with its own limit: the exhausted sign-in count does not touch it.
    const joined = await a.app.inject({
      method: 'POST',
      url: '/api/join/NO-SUCH-CODE',
      payload: {},
      remoteAddress: '203.0.113.7',
    });
    expect(joined.statusCode).not.toBe(429);

    // What the table keeps: one row per route and address, with no address in it.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = (
        await client.query<{ key: string; hits: number }>('SELECT key, hits FROM rate_limit_hits ORDER BY hits')
      ).rows;
      expect(rows.map((r) => r.hits)).toEqual([1, 1, 5]);
      expect(JSON.stringify(rows)).not.toContain('203.0.113');
    } finally {
      await client.end();
    }
  });
});
