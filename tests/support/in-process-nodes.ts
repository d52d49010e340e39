import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { prepareData } from '../../server/services/prepare-data.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { openSocket, type TestSocket } from './live-app.ts';
import type { PostgresForFile } from './postgres-database.ts';
import { simplePlayQueue } from './simple-play-queue.ts';

/** One app node in the test process: its own storage pool, Socket.IO server and (with a lease) node id. */
export interface AppNode {
  /** The node's id when it runs as one of several nodes with a lease; null when it runs as the default node. */
  id: string | null;
  app: FastifyInstance;
  storage: PostgresStorage;
  url: string;
}

export interface AppNodeOptions {
  /** Where the nodes keep files (a client directory that does not exist: no client is served). */
  dir: string;
  /** Run as one of several nodes with a lease of this length (episodes handed over between nodes). */
  leaseMs?: number;
}

/** Starts one app node on `databaseUrl`, listening on a free port, with the scripted model playing live episodes. */
export async function startAppNode(databaseUrl: string, options: AppNodeOptions): Promise<AppNode> {
  const id = options.leaseMs === undefined ? null : randomUUID();
  const storage = await PostgresStorage.open({ url: databaseUrl, maxConnections: 4 });
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const app = await buildApp({
    config: { clientDir: join(options.dir, 'no-client'), database: { kind: 'postgres', url: databaseUrl } },
    storage,
    rateLimits: { loginPerMinute: 10_000, joinPerMinute: 10_000 },
    ...(id !== null && options.leaseMs !== undefined ? { node: { id, leaseMs: options.leaseMs, shared: true } } : {}),
    live: { model: () => scripted, queue: simplePlayQueue(storage, 'scripted') },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { id, app, storage, url };
}

/** Both nodes have heard each other's heartbeat: each one's LISTEN connection is up. */
export async function untilNodesMeet(nodes: AppNode[]): Promise<void> {
  const started = Date.now();
  for (;;) {
    const counts = await Promise.all(nodes.map((n) => n.app.io.of('/').adapter.serverCount()));
    if (counts.every((c) => c === nodes.length)) return;
    if (Date.now() - started > 20_000) throw new Error(`the nodes did not meet: server counts ${counts.join(', ')}`);
    await sleep(50);
  }
}

export interface TwoAppNodes {
  /** Node A then node B (filled before the file's tests run). */
  nodes: AppNode[];
  /** The sample study, imported through node A. */
  studyId: string;
  databaseUrl: string;
  /** A socket to `node` with `cookie` (null: anonymous), closed after the file. */
  socketOn(node: AppNode, cookie: string | null): Promise<TestSocket>;
}

/**
 * Two app nodes on one migrated PostgreSQL database for the file's tests, with the sample study imported through
 * node A; started before the tests once both nodes hear each other, closed with their sockets after them.
 */
export function useTwoAppNodes(postgres: PostgresForFile, options: AppNodeOptions): TwoAppNodes {
  const sockets: TestSocket[] = [];
  const two: TwoAppNodes = {
    nodes: [],
    studyId: '',
    databaseUrl: '',
    async socketOn(node, cookie) {
      const socket = await openSocket(node.url, cookie);
      sockets.push(socket);
      return socket;
    },
  };

  beforeAll(async () => {
    const { url } = await postgres.migratedDatabase();
    two.databaseUrl = url;
    const a = await startAppNode(url, options);
    await prepareData(
      a.storage,
      {
        personasDir: join(PROJECT_ROOT, 'personas'),
        sampleFile: join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'),
        sampleStudy: 'Sample benchmark',
        seedSample: true,
      },
      { info: () => undefined },
    );
    two.nodes.push(a, await startAppNode(url, options));
    two.studyId = (await a.storage.listStudies())[0]?.id ?? '';
    await untilNodesMeet(two.nodes);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const node of two.nodes) {
      await node.app.close();
      await node.storage.close();
    }
  });

  return two;
}
