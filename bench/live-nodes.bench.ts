import { mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAiServer } from '../tests/support/fake-openai-server.ts';
import { createDatabase, startPostgresCluster } from '../tests/support/postgres-cluster.ts';
import { roleResponder } from '../tests/support/role-responder.ts';
import { checkSizes } from './live.bench.ts';
import type { BenchResult } from './support/bench-result.ts';
import { benchConfig } from './support/bench-config.ts';
import {
  actorsFor,
  forkTs,
  joinAll,
  LIVE_TURNS,
  phaseMetrics,
  runPhase,
  startEchoServer,
  type PlayPattern,
} from './support/live-phase.ts';
import { joinSpread, runSpreadPhase, type SpreadPhaseResult } from './support/live-nodes-phase.ts';
import { behindLoopbackProxy, serveEnv, startServer, type ServerProcess } from './support/live-server-process.ts';
import { prolificId, setUpLiveStudy, writeModelsFile } from './support/live-study-setup.ts';
import { verifyLiveRunOnPostgres } from './support/live-verify-postgres.ts';
import { verifyLiveRun, type LiveVerification } from './support/live-verify.ts';
import { watchPostgres } from './support/postgres-activity.ts';
import { postmasterPid } from './support/postgres-cpu.ts';

/**
 * Several app nodes on one PostgreSQL database beside one node on SQLite (`npx tsx bench/run.ts live-nodes`, issue 19):
 * per size, the same persons and pattern as `bench:live` play three phases in one run: (1) `sqlite_`: one
 * `prefdisco serve` on a SQLite file, as `bench:live`; (2) `pg_`: a throwaway PostgreSQL cluster, BENCH_LIVE_NODES
 * servers on one database, each client worker's persons joining and playing on one node (sticky, as behind a proxy);
 * (3) `echo_`: the bare Socket.IO echo server, the reference both are divided by. After each app phase the servers
 * stop and the database is checked: every acked reply stored exactly once.
 */

const { chunks: CHUNKS, chunkDelayMs: CHUNK_DELAY_MS, questions: QUESTIONS } = LIVE_TURNS;
const SAMPLE_RECORDS = 64;
const REPLY_P99_TARGET_MS = 25;
const EPISODE_P99_RATIO_TARGET = 1.2;

type Metrics = Record<string, number>;

function correctness(prefix: string, check: LiveVerification, plays: number, completed: number): Metrics {
  for (const problem of check.problems) process.stdout.write(`\n    ${prefix} DB: ${problem}`);
  return {
    [`${prefix}_sessions_failed`]: plays - completed,
    [`${prefix}_replies_acked`]: check.ackedReplies,
    [`${prefix}_replies_stored`]: check.storedReplies,
    [`${prefix}_replies_lost_or_duplicated`]:
      check.missing + check.duplicated + check.seqMismatch + check.unacknowledged,
    [`${prefix}_episodes_incomplete_or_gapped`]:
      check.episodesNotCompleted + check.episodesNotRated + check.episodesWithSeqGaps,
  };
}

/** Starts one node, stopped (killed) by `cleanup` whatever happens later. */
async function node(env: Record<string, string>, logFile: string, cleanup: (() => unknown)[]): Promise<ServerProcess> {
  const server = await startServer(env, { logFile });
  cleanup.push(() => server.stop('SIGKILL'));
  return server;
}

async function stopAll(servers: ServerProcess[]): Promise<void> {
  const codes = await Promise.all(servers.map((s) => s.stop('SIGTERM')));
  if (codes.some((c) => c !== 0))
    throw new Error(`a server did not shut down cleanly (exit codes ${codes.join(', ')})`);
}

async function runSize(workDir: string, n: number, nodeCount: number, pattern: PlayPattern): Promise<Metrics> {
  const dir = mkdtempSync(join(workDir, `live-nodes-${n}-`));
  const model = await startFakeOpenAiServer();
  model.respondWith(roleResponder({ questions: QUESTIONS, chunks: CHUNKS, chunkDelayMs: CHUNK_DELAY_MS }));
  const models = writeModelsFile(dir, model.baseUrl);
  // As bench:live (2–4 workers), rounded up to a multiple of the nodes so each node gets the same share of persons.
  const base = Math.min(4, Math.max(2, Math.ceil(n / 100)));
  const workers = Array.from({ length: Math.ceil(base / nodeCount) * nodeCount }, () =>
    forkTs('live-client-worker.ts'),
  );
  const cleanup: (() => unknown)[] = [() => model.close(), ...workers.map((w) => () => w.connected && w.disconnect())];
  const plays = n * pattern.episodes;
  const actors = actorsFor(n, (i) => prolificId(n, i));
  const studyOptions = {
    model: 'mut',
    judgeModel: 'judge',
    playsPerActor: pattern.episodes,
    playsPerRecord: Math.ceil(plays / SAMPLE_RECORDS),
  };
  const acksOf = (r: SpreadPhaseResult | Awaited<ReturnType<typeof runPhase>>) => ({
    acks: r.reports.flatMap((x) => x.acks),
    ids: r.reports.flatMap((x) => x.episodeIds),
  });
  try {
    process.stdout.write(`  live-nodes n=${n}: sqlite …`);
    const single = await node(serveEnv(dir, models, behindLoopbackProxy(n)), join(dir, 'sqlite-node.log'), cleanup);
    const sqliteStudy = await setUpLiveStudy(single.url, studyOptions);
    await joinAll(workers, single.url, sqliteStudy.inviteCode, actors);
    const sqlite = await runPhase(workers, single.url, single.pid, pattern);
    const sqliteLoad = loadavg()[0] ?? 0;
    await stopAll([single]);
    const sqliteAcks = acksOf(sqlite);
    const sqliteCheck = verifyLiveRun(join(dir, 'live.sqlite'), sqliteAcks.acks, sqliteAcks.ids);

    process.stdout.write(` postgres × ${nodeCount} …`);
    const cluster = await startPostgresCluster();
    cleanup.push(() => cluster.stop());
    const database = await createDatabase(cluster, { prefix: 'bench' });
    const pgDir = mkdtempSync(join(dir, 'pg-'));
    const env = serveEnv(pgDir, models, { ...behindLoopbackProxy(n), PREFDISCO_DATABASE_URL: database.url });
    // One after the other: the first migrates the database and imports the sample study.
    const servers: ServerProcess[] = [];
    for (let k = 0; k < nodeCount; k++) servers.push(await node(env, join(dir, `pg-node-${k}.log`), cleanup));
    const urls = servers.map((s) => s.url);
    const pgStudy = await setUpLiveStudy(urls[0] ?? '', studyOptions);
    await joinSpread(workers, urls, pgStudy.inviteCode, actors);
    const activity = await watchPostgres(database.url, database.name);
    const nodes = await runSpreadPhase(
      workers,
      urls,
      servers.map((s) => s.pid),
      pattern,
      postmasterPid(join(cluster.dir, 'data')),
    );
    const pgLoad = loadavg()[0] ?? 0;
    const pgActivity = await activity.stop();
    await stopAll(servers);
    const pgAcks = acksOf(nodes);
    const pgCheck = await verifyLiveRunOnPostgres(database.url, pgAcks.acks, pgAcks.ids);

    process.stdout.write(' echo …');
    const echo = await startEchoServer(cleanup);
    await joinAll(workers, echo.url, 'echo', actors);
    const reference = await runPhase(workers, echo.url, echo.pid, pattern);
    const echoLoad = loadavg()[0] ?? 0;
    echo.stop();
    process.stdout.write(' done\n');

    const errors = [...sqlite.reports, ...nodes.reports, ...reference.reports].flatMap((r) => r.errors);
    for (const e of errors.slice(0, 5)) process.stdout.write(`    client: ${e}\n`);
    const s = phaseMetrics('sqlite', sqlite);
    const p = phaseMetrics('pg', nodes);
    const e = phaseMetrics('echo', reference);
    const pgCores = nodes.postgres?.cpuCores ?? 0;
    const replies = (m: Metrics, prefix: string): number =>
      (m[`${prefix}_replies_per_s`] ?? 0) * (m[`${prefix}_wall_seconds`] ?? 0);
    return {
      sessions: plays,
      nodes: nodeCount,
      ...s,
      ...p,
      ...Object.fromEntries(nodes.nodes.map((u, k) => [`pg_node${k}_cpu_cores`, u.cpuCores])),
      pg_postgres_cpu_cores: pgCores,
      pg_postgres_processes: nodes.postgres?.processes ?? 0,
      // Everything the PostgreSQL setup burns for the same play: the nodes and the database together.
      pg_total_cpu_cores: (p.pg_server_cpu_cores ?? 0) + pgCores,
      pg_transactions_per_s: pgActivity.commits / (p.pg_wall_seconds ?? 1),
      pg_transactions_per_reply: pgActivity.commits / replies(p, 'pg'),
      pg_rollbacks: pgActivity.rollbacks,
      pg_backends_active_mean: pgActivity.activeMean,
      pg_backends_active_max: pgActivity.activeMax,
      pg_backends_lock_waits_max: pgActivity.lockWaitsMax,
      pg_backends_idle_in_transaction_mean: pgActivity.idleInTransactionMean,
      pg_backends_idle_in_transaction_max: pgActivity.idleInTransactionMax,
      ...e,
      sqlite_p99_ratio: (s.sqlite_reply_p99_ms ?? 0) / (e.echo_reply_p99_ms ?? 1),
      pg_p99_ratio: (p.pg_reply_p99_ms ?? 0) / (e.echo_reply_p99_ms ?? 1),
      sqlite_episode_p99_ratio: (s.sqlite_episode_p99_s ?? 0) / (e.echo_episode_p99_s ?? 1),
      pg_episode_p99_ratio: (p.pg_episode_p99_s ?? 0) / (e.echo_episode_p99_s ?? 1),
      pg_vs_sqlite_reply_p99: (p.pg_reply_p99_ms ?? 0) / (s.sqlite_reply_p99_ms ?? 1),
      // CPU milliseconds per acknowledged reply (app processes, plus PostgreSQL's for pg): what a reply costs in all.
      sqlite_cpu_ms_per_reply:
        ((s.sqlite_server_cpu_cores ?? 0) * (s.sqlite_wall_seconds ?? 0) * 1000) / replies(s, 'sqlite'),
      pg_cpu_ms_per_reply:
        (((p.pg_server_cpu_cores ?? 0) + pgCores) * (p.pg_wall_seconds ?? 0) * 1000) / replies(p, 'pg'),
      // The machine is shared: the 1-minute load average as each phase ended says how busy it was meanwhile.
      sqlite_load_avg_1m_end: sqliteLoad,
      pg_load_avg_1m_end: pgLoad,
      echo_load_avg_1m_end: echoLoad,
      model_server_cpu_cores: Math.max(sqlite.benchCpuCores, nodes.benchCpuCores),
      ...correctness('sqlite', sqliteCheck, plays, s.sqlite_sessions_completed ?? 0),
      ...correctness('pg', pgCheck, plays, p.pg_sessions_completed ?? 0),
    };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

/** `live-nodes`: one SQLite node, then BENCH_LIVE_NODES nodes on PostgreSQL, then the echo server, per size. */
export async function liveNodesBench(workDir: string): Promise<BenchResult> {
  const config = benchConfig();
  const sizes = checkSizes(config.liveNodes.sessions, 'BENCH_LIVE_NODES_SESSIONS');
  const nodeCount = config.liveNodes.nodes;
  const pattern: PlayPattern = {
    episodes: config.liveEpisodes,
    thinkMinMs: 1000,
    thinkMaxMs: 2000,
    rampMs: 3000,
    seed: 42,
  };
  const metrics: Metrics = {};
  const targets: Metrics = {};
  for (const n of sizes) {
    for (const [key, value] of Object.entries(await runSize(workDir, n, nodeCount, pattern)))
      metrics[`n${n}_${key}`] = value;
    for (const prefix of ['sqlite', 'pg'])
      Object.assign(targets, {
        [`n${n}_${prefix}_replies_lost_or_duplicated`]: 0,
        [`n${n}_${prefix}_episodes_incomplete_or_gapped`]: 0,
        [`n${n}_${prefix}_sessions_failed`]: 0,
        [`n${n}_${prefix}_refused_connects`]: 0,
        [`n${n}_${prefix}_reply_p99_ms`]: REPLY_P99_TARGET_MS,
        [`n${n}_${prefix}_episode_p99_ratio`]: EPISODE_P99_RATIO_TARGET,
      });
  }
  return {
    name: 'live-nodes',
    description: `live play, ${sizes.join(' / ')} persons × ${pattern.episodes} episodes: one node on SQLite, ${nodeCount} nodes on one PostgreSQL database (persons sticky to a node), bare Socket.IO echo server`,
    metrics,
    targets,
  };
}
