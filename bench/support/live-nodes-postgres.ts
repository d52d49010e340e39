import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type PostgresCluster } from '../../tests/support/postgres-cluster.ts';
import { phaseMetrics, type PlayPattern } from './live-phase.ts';
import { joinSpread, runSpreadPhase, type SpreadPhaseResult } from './live-nodes-phase.ts';
import { startServer, type ServerProcess } from './live-server-process.ts';
import { episodesEnded, setUpLiveStudy } from './live-study-setup.ts';
import { verifyLiveRunOnPostgres } from './live-verify-postgres.ts';
import type { LiveVerification } from './live-verify.ts';
import { watchPostgres, type WaitKind } from './postgres-activity.ts';
import { postmasterPid } from './postgres-cpu.ts';
import type { WorkerActor } from './live-worker-protocol.ts';

/**
 * One PostgreSQL phase of bench:live-nodes: `nodeCount` servers on a fresh database of the run's cluster, the persons
 * spread over them (sticky), PostgreSQL's activity and wait events sampled over the play, then the servers stopped and
 * the database checked. Metrics are named `<prefix>_…` (prefix `pg2`, `pg3`: the node count).
 */

type Metrics = Record<string, number>;

/** Wait kinds kept as metrics (all are printed). */
const WAIT_METRICS = 6;
/** Tables whose written rows per reply are kept as metrics. */
const WRITE_METRICS = 8;

export interface PostgresPhase {
  metrics: Metrics;
  result: SpreadPhaseResult;
  check: LiveVerification;
  waits: WaitKind[];
}

export interface PostgresPhaseSetup {
  cluster: PostgresCluster;
  dir: string;
  /** The servers' environment without the database (serveEnv's). */
  env: Record<string, string>;
  workers: ChildProcess[];
  actors: WorkerActor[];
  pattern: PlayPattern;
  studyOptions: Parameters<typeof setUpLiveStudy>[1];
  cleanup: (() => unknown)[];
}

async function stopAll(servers: ServerProcess[]): Promise<void> {
  const codes = await Promise.all(servers.map((s) => s.stop('SIGTERM')));
  if (codes.some((c) => c !== 0))
    throw new Error(`a server did not shut down cleanly (exit codes ${codes.join(', ')})`);
}

/** "Lock:object pg_database" → "lock_object_pg_database": a metric name's part. */
export function waitSlug(kind: string): string {
  return kind
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export async function runPostgresPhase(s: PostgresPhaseSetup, nodeCount: number): Promise<PostgresPhase> {
  const prefix = `pg${nodeCount}`;
  const database = await createDatabase(s.cluster, { prefix: 'bench' });
  const env = { ...s.env, PREFDISCO_DATABASE_URL: database.url };
  // One after the other: the first migrates the database and imports the sample study.
  const servers: ServerProcess[] = [];
  for (let k = 0; k < nodeCount; k++) {
    const server = await startServer(env, { logFile: join(s.dir, `${prefix}-node-${k}.log`) });
    s.cleanup.push(() => server.stop('SIGKILL'));
    servers.push(server);
  }
  const urls = servers.map((x) => x.url);
  const study = await setUpLiveStudy(urls[0] ?? '', s.studyOptions);
  await joinSpread(s.workers, urls, study.inviteCode, s.actors);
  const activity = await watchPostgres(database.url, database.name);
  const result = await runSpreadPhase(
    s.workers,
    urls,
    servers.map((x) => x.pid),
    s.pattern,
    postmasterPid(join(s.cluster.dir, 'data')),
  );
  const load = loadavg()[0] ?? 0;
  const pg = await activity.stop();
  // Persons rate at the final answer, as in the browser: the nodes stop once the judges are done too.
  await episodesEnded(urls[0] ?? '', study);
  await stopAll(servers);
  const check = await verifyLiveRunOnPostgres(
    database.url,
    result.reports.flatMap((x) => x.acks),
    result.reports.flatMap((x) => x.episodeIds),
  );
  const p = phaseMetrics(prefix, result);
  const pgCores = result.postgres?.cpuCores ?? 0;
  const wall = p[`${prefix}_wall_seconds`] ?? 1;
  const replies = (p[`${prefix}_replies_per_s`] ?? 0) * wall;
  const nodeCores = p[`${prefix}_server_cpu_cores`] ?? 0;
  const metrics: Metrics = {
    ...p,
    ...Object.fromEntries(result.nodes.map((u, k) => [`${prefix}_node${k}_cpu_cores`, u.cpuCores])),
    [`${prefix}_postgres_cpu_cores`]: pgCores,
    [`${prefix}_postgres_processes`]: result.postgres?.processes ?? 0,
    // Everything the PostgreSQL setup burns for the same play: the nodes and the database together.
    [`${prefix}_total_cpu_cores`]: nodeCores + pgCores,
    // CPU milliseconds per acknowledged reply, the nodes' and PostgreSQL's: what a reply costs in all.
    [`${prefix}_cpu_ms_per_reply`]: ((nodeCores + pgCores) * wall * 1000) / replies,
    [`${prefix}_transactions_per_s`]: pg.commits / wall,
    [`${prefix}_transactions_per_reply`]: pg.commits / replies,
    [`${prefix}_rollbacks`]: pg.rollbacks,
    [`${prefix}_backends_active_mean`]: pg.activeMean,
    [`${prefix}_backends_active_max`]: pg.activeMax,
    [`${prefix}_backends_lock_waits_mean`]: pg.lockWaitsMean,
    [`${prefix}_backends_lock_waits_max`]: pg.lockWaitsMax,
    [`${prefix}_backends_idle_in_transaction_mean`]: pg.idleInTransactionMean,
    [`${prefix}_backends_idle_in_transaction_max`]: pg.idleInTransactionMax,
    [`${prefix}_backend_samples`]: pg.samples,
    // The most common states of non-idle backends: mean backends in each per sample.
    ...Object.fromEntries(pg.waits.slice(0, WAIT_METRICS).map((w) => [`${prefix}_wait_${waitSlug(w.kind)}`, w.mean])),
    // Rows written per acknowledged reply, per table (the most written ones).
    ...Object.fromEntries(
      pg.writes.slice(0, WRITE_METRICS).map((w) => [`${prefix}_rows_written_per_reply_${w.table}`, w.rows / replies]),
    ),
    [`${prefix}_load_avg_1m_end`]: load,
  };
  return { metrics, result, check, waits: pg.waits };
}

/** The wait summary as printed lines: kind, mean/max backends, the statement and connection most often seen. */
export function waitLines(prefix: string, waits: readonly WaitKind[], top = 10): string[] {
  return waits
    .slice(0, top)
    .map(
      (w) =>
        `    ${prefix} ${w.kind.padEnd(34)} mean ${w.mean.toFixed(2).padStart(5)} max ${String(w.max).padStart(2)}  ` +
        `${w.application || '?'}: ${w.query}`,
    );
}
