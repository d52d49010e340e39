import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAiServer } from '../tests/support/fake-openai-server.ts';
import { startPostgresCluster } from '../tests/support/postgres-cluster.ts';
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
import { runPostgresPhase, waitLines, type PostgresPhase } from './support/live-nodes-postgres.ts';
import { behindLoopbackProxy, serveEnv, startServer, type ServerProcess } from './support/live-server-process.ts';
import { episodesEnded, prolificId, setUpLiveStudy, writeModelsFile } from './support/live-study-setup.ts';
import { verifyLiveRun, type LiveVerification } from './support/live-verify.ts';

/**
 * Several app nodes on one PostgreSQL database beside one node on SQLite (`npx tsx bench/run.ts live-nodes`, issue 19):
 * per size, the same persons and pattern as `bench:live` play in one run: (1) `sqlite_`: one `prefdisco serve` on a
 * SQLite file, as `bench:live`; (2) `pg<k>_` for each k of BENCH_LIVE_NODES_COUNTS (default 2 then 3): k servers on a
 * fresh database of one throwaway PostgreSQL cluster, each client worker's persons joining and playing on one node
 * (sticky, as behind a proxy); (3) `echo_`: the bare Socket.IO echo server, the reference all are divided by. After each app phase the servers
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

/** Client workers as bench:live forks them (2–4), their count rounded up to a multiple of `nodes`. */
function clientWorkers(n: number, nodes: number, cleanup: (() => unknown)[]): ChildProcess[] {
  const base = Math.min(4, Math.max(2, Math.ceil(n / 100)));
  const workers = Array.from({ length: Math.ceil(base / nodes) * nodes }, () => forkTs('live-client-worker.ts'));
  cleanup.push(...workers.map((w) => () => w.connected && w.disconnect()));
  return workers;
}

async function runSize(workDir: string, n: number, nodeCounts: number[], pattern: PlayPattern): Promise<Metrics> {
  const dir = mkdtempSync(join(workDir, `live-nodes-${n}-`));
  const model = await startFakeOpenAiServer();
  model.respondWith(roleResponder({ questions: QUESTIONS, chunks: CHUNKS, chunkDelayMs: CHUNK_DELAY_MS }));
  const models = writeModelsFile(dir, model.baseUrl);
  const cleanup: (() => unknown)[] = [() => model.close()];
  // The SQLite and echo phases' workers, as bench:live's; a PostgreSQL phase whose node count does not divide them
  // gets its own, so every node serves the same share of persons.
  const workers = clientWorkers(n, 1, cleanup);
  const plays = n * pattern.episodes;
  const actors = actorsFor(n, (i) => prolificId(n, i));
  const studyOptions = {
    model: 'mut',
    judgeModel: 'judge',
    playsPerActor: pattern.episodes,
    playsPerRecord: Math.ceil(plays / SAMPLE_RECORDS),
  };
  try {
    process.stdout.write(`  live-nodes n=${n}: sqlite …`);
    const single = await node(serveEnv(dir, models, behindLoopbackProxy(n)), join(dir, 'sqlite-node.log'), cleanup);
    const sqliteStudy = await setUpLiveStudy(single.url, studyOptions);
    await joinAll(workers, single.url, sqliteStudy.inviteCode, actors);
    const sqlite = await runPhase(workers, single.url, single.pid, pattern);
    const sqliteLoad = loadavg()[0] ?? 0;
    // Persons rate at the final answer, as in the browser: the node stops once the judges are done too.
    await episodesEnded(single.url, sqliteStudy);
    const code = await single.stop('SIGTERM');
    if (code !== 0) throw new Error(`the SQLite server did not shut down cleanly (exit code ${code})`);
    const sqliteCheck = verifyLiveRun(
      join(dir, 'live.sqlite'),
      sqlite.reports.flatMap((x) => x.acks),
      sqlite.reports.flatMap((x) => x.episodeIds),
    );

    const cluster = await startPostgresCluster();
    cleanup.push(() => cluster.stop());
    const pgPhases: PostgresPhase[] = [];
    for (const count of nodeCounts) {
      process.stdout.write(` postgres × ${count} …`);
      pgPhases.push(
        await runPostgresPhase(
          {
            cluster,
            dir,
            env: serveEnv(mkdtempSync(join(dir, `pg${count}-`)), models, behindLoopbackProxy(n)),
            workers: workers.length % count === 0 ? workers : clientWorkers(n, count, cleanup),
            actors,
            pattern,
            studyOptions,
            cleanup,
          },
          count,
        ),
      );
    }

    process.stdout.write(' echo …');
    const echo = await startEchoServer(cleanup);
    await joinAll(workers, echo.url, 'echo', actors);
    const reference = await runPhase(workers, echo.url, echo.pid, pattern);
    const echoLoad = loadavg()[0] ?? 0;
    echo.stop();
    process.stdout.write(' done\n');

    const errors = [sqlite, ...pgPhases.map((x) => x.result), reference].flatMap((r) =>
      r.reports.flatMap((x) => x.errors),
    );
    for (const e of errors.slice(0, 5)) process.stdout.write(`    client: ${e}\n`);
    for (const [i, phase] of pgPhases.entries())
      for (const line of waitLines(`pg${nodeCounts[i]}`, phase.waits)) process.stdout.write(`${line}\n`);
    const s = phaseMetrics('sqlite', sqlite);
    const e = phaseMetrics('echo', reference);
    const sqliteReplies = (s.sqlite_replies_per_s ?? 0) * (s.sqlite_wall_seconds ?? 0);
    const pgMetrics: Metrics = {};
    for (const [i, phase] of pgPhases.entries()) {
      const prefix = `pg${nodeCounts[i]}`;
      const m = phase.metrics;
      Object.assign(pgMetrics, m, {
        [`${prefix}_p99_ratio`]: (m[`${prefix}_reply_p99_ms`] ?? 0) / (e.echo_reply_p99_ms ?? 1),
        [`${prefix}_episode_p99_ratio`]: (m[`${prefix}_episode_p99_s`] ?? 0) / (e.echo_episode_p99_s ?? 1),
        [`${prefix}_vs_sqlite_reply_p99`]: (m[`${prefix}_reply_p99_ms`] ?? 0) / (s.sqlite_reply_p99_ms ?? 1),
        [`${prefix}_vs_sqlite_replies_per_s`]: (m[`${prefix}_replies_per_s`] ?? 0) / (s.sqlite_replies_per_s ?? 1),
        ...correctness(prefix, phase.check, plays, m[`${prefix}_sessions_completed`] ?? 0),
      });
    }
    return {
      sessions: plays,
      ...s,
      sqlite_p99_ratio: (s.sqlite_reply_p99_ms ?? 0) / (e.echo_reply_p99_ms ?? 1),
      sqlite_episode_p99_ratio: (s.sqlite_episode_p99_s ?? 0) / (e.echo_episode_p99_s ?? 1),
      // CPU milliseconds per acknowledged reply of the app process: what a reply costs in all.
      sqlite_cpu_ms_per_reply: ((s.sqlite_server_cpu_cores ?? 0) * (s.sqlite_wall_seconds ?? 0) * 1000) / sqliteReplies,
      // The machine is shared: the 1-minute load average as each phase ended says how busy it was meanwhile.
      sqlite_load_avg_1m_end: sqliteLoad,
      ...correctness('sqlite', sqliteCheck, plays, s.sqlite_sessions_completed ?? 0),
      ...pgMetrics,
      ...e,
      echo_load_avg_1m_end: echoLoad,
      model_server_cpu_cores: Math.max(sqlite.benchCpuCores, ...pgPhases.map((x) => x.result.benchCpuCores)),
    };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

/** `live-nodes`: one SQLite node, then each of BENCH_LIVE_NODES_COUNTS on PostgreSQL, then the echo server, per size. */
export async function liveNodesBench(workDir: string): Promise<BenchResult> {
  const config = benchConfig();
  const sizes = checkSizes(config.liveNodes.sessions, 'BENCH_LIVE_NODES_SESSIONS');
  const { nodeCounts } = config.liveNodes;
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
    for (const [key, value] of Object.entries(await runSize(workDir, n, nodeCounts, pattern)))
      metrics[`n${n}_${key}`] = value;
    for (const prefix of ['sqlite', ...nodeCounts.map((c) => `pg${c}`)])
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
    description: `live play, ${sizes.join(' / ')} persons × ${pattern.episodes} episodes: one node on SQLite, ${nodeCounts.join(' then ')} nodes on one PostgreSQL database (persons sticky to a node), bare Socket.IO echo server`,
    metrics,
    targets,
  };
}
