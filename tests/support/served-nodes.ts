import { join } from 'node:path';
import pg from 'pg';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { FakeOpenAiServer } from './fake-openai-server.ts';
import { ADMIN } from './researcher-http.ts';
import { serveProcess, type ServedApp } from './serve-process.ts';
import { writeFile } from './temp-files.ts';

export interface ServedNodesOptions {
  /** The PostgreSQL database every node serves. */
  databaseUrl: string;
  /** Where the nodes' models files and runs directories go. */
  dir: string;
  /** Each node's lease on the episodes it runs (PREFDISCO_NODE_LEASE_SECONDS). */
  leaseSeconds: number;
  /** One fake OpenAI server per node: its models 'mut' and 'judge' are served by it (the same one may repeat). */
  models: FakeOpenAiServer[];
}

/**
 * `prefdisco serve` processes on one PostgreSQL database, one per entry of `models`, started one after the other: the
 * first migrates the database and imports the sample study. Each is pushed to `nodes` once it listens, so the
 * caller stops those that started even when a later one fails to.
 */
export async function startServedNodes(nodes: ServedApp[], options: ServedNodesOptions): Promise<ServedApp[]> {
  const started: ServedApp[] = [];
  for (const [i, models] of options.models.entries()) {
    const name = String.fromCharCode('a'.charCodeAt(0) + i);
    const model = (m: string): Record<string, unknown> => ({
      name: m,
      provider: 'openai-compatible',
      model: m,
      baseUrl: models.baseUrl,
      maxRetries: 1,
      retryBaseDelayMs: 10,
    });
    const node = await serveProcess({
      PREFDISCO_DATABASE_URL: options.databaseUrl,
      PREFDISCO_DB: join(options.dir, 'unused.sqlite'),
      PREFDISCO_RUNS_DIR: join(options.dir, `runs-${name}`),
      PREFDISCO_MODELS_FILE: writeFile(
        options.dir,
        `models-${name}.json`,
        JSON.stringify({ models: [model('mut'), model('judge')] }),
      ),
      PREFDISCO_ADMIN_USERNAME: ADMIN.username,
      PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
      PREFDISCO_NODE_LEASE_SECONDS: String(options.leaseSeconds),
    });
    nodes.push(node);
    started.push(node);
  }
  return started;
}

/** The episode's events as stored, in seq order, read straight from the database (not through any node). */
export async function storedEvents(databaseUrl: string, episodeId: string): Promise<EpisodeEvent[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ json: string }>(
      'SELECT json FROM episode_events WHERE episode_id = $1 ORDER BY seq',
      [episodeId],
    );
    return rows.map((r) => JSON.parse(r.json) as EpisodeEvent);
  } finally {
    await client.end();
  }
}

/** Sends a request until no other live node owns the episode any more; returns the ack and how long that took. */
export async function onceTakenOver<T>(send: () => Promise<T>, ms: number): Promise<{ result: T; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    try {
      return { result: await send(), waitedMs: Date.now() - started };
    } catch (error) {
      if (!String(error).includes('episode_elsewhere') || Date.now() - started > ms) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
