import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresQueuedRuns } from '../../server/storage/postgres/postgres-queued-runs.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';

/**
 * The shared runs' tries and usage as workers on several machines write them (migration 022), on a real PostgreSQL
 * database: concurrent failures of one chunk are each counted, a claim's usage only grows whatever order its writes
 * arrive in, and a run's usage is the sum over its claims (cost null while no call had a price).
 */
describe.skipIf(!postgresInstalled)(needsPostgres('queued runs: chunk tries and usage'), () => {
  const postgres = usePostgres();
  let storage: PostgresStorage;
  let queuedRuns: PostgresQueuedRuns;

  async function newQueuedRun(): Promise<string> {
    const { id } = await storage.createRun({
      benchmarkPath: 'bench.jsonl',
      benchmarkSha256: null,
      outPath: `${randomUUID()}.jsonl`,
      options: {},
    });
    await queuedRuns.registerRun({
      runId: id,
      problemIds: null,
      jobs: 8,
      chunkSize: 4,
      chunkTries: 3,
      chunkRetrySeconds: 2,
    });
    return id;
  }

  beforeAll(async () => {
    const { url } = await postgres.migratedDatabase();
    storage = await PostgresStorage.open({ url, maxConnections: 2 });
    queuedRuns = PostgresQueuedRuns.open(url, 6);
  }, 120_000);

  afterAll(async () => {
    await queuedRuns?.close();
    await storage?.close();
  });

  it('stores the run’s budget, and a registration again keeps the first one', async () => {
    const runId = await newQueuedRun();
    const again = await queuedRuns.registerRun({
      runId,
      problemIds: ['p1'],
      jobs: 8,
      chunkSize: 4,
      chunkTries: 9,
      chunkRetrySeconds: 60,
    });
    expect(again).toMatchObject({ chunkTries: 3, chunkRetrySeconds: 2, problemIds: null });
  });

  it('counts every failure of a chunk, also when workers record them at once, with the last error and worker', async () => {
    const runId = await newQueuedRun();
    const tries = await Promise.all(
      Array.from({ length: 6 }, (_, i) => queuedRuns.recordChunkFailure(runId, 1, `w${i}`, `error ${i}`)),
    );
    expect(tries.map((t) => t.tries).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const last = tries.find((t) => t.tries === 6);
    await queuedRuns.recordChunkFailure(runId, 0, 'w9', 'unknown model "remote"');
    const failures = await queuedRuns.chunkFailures(runId);
    expect(failures).toEqual([
      { chunk: 0, tries: 1, lastError: 'unknown model "remote"', lastWorker: 'w9' },
      { chunk: 1, tries: 6, lastError: last?.lastError, lastWorker: last?.lastWorker },
    ]);
    expect(last?.lastError).toBe(`error ${last?.lastWorker.slice(1)}`);
  });

  it('sums the run’s claims; a claim’s older totals arriving late never lower it; cost stays null until priced', async () => {
    const runId = await newQueuedRun();
    expect(await queuedRuns.usage(runId)).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null });
    await queuedRuns.storeUsage(runId, 'claim-a', 'w1', {
      calls: 4,
      inputTokens: 400,
      outputTokens: 40,
      costUsd: null,
    });
    await queuedRuns.storeUsage(runId, 'claim-a', 'w1', {
      calls: 2,
      inputTokens: 200,
      outputTokens: 20,
      costUsd: null,
    });
    await queuedRuns.storeUsage(runId, 'claim-b', 'w2', {
      calls: 3,
      inputTokens: 3e9,
      outputTokens: 30,
      costUsd: null,
    });
    expect(await queuedRuns.usage(runId)).toEqual({
      calls: 7,
      inputTokens: 3e9 + 400,
      outputTokens: 70,
      costUsd: null,
    });
    await queuedRuns.storeUsage(runId, 'claim-b', 'w2', {
      calls: 5,
      inputTokens: 3e9 + 10,
      outputTokens: 50,
      costUsd: 0.25,
    });
    await queuedRuns.storeUsage(runId, 'claim-c', 'w2', { calls: 1, inputTokens: 1, outputTokens: 1, costUsd: 0.5 });
    expect(await queuedRuns.usage(runId)).toEqual({
      calls: 10,
      inputTokens: 3e9 + 411,
      outputTokens: 91,
      costUsd: 0.75,
    });
    // Another run's usage is its own.
    expect((await queuedRuns.usage(await newQueuedRun())).calls).toBe(0);
  });
});
