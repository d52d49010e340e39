import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { formatIssue } from '../shared/benchmark/issues.ts';
import { buildApp } from './app.ts';
import { ConfigError, describeDatabase, loadConfig, secretFromEnv } from './config.ts';
import { loadModelConfigs, ModelRegistry, ModelsConfigError } from './models/model-registry.ts';
import { ModelThread } from './models/threaded/model-thread.ts';
import { ThreadedModels } from './models/threaded/threaded-models.ts';
import { startRetentionPurge } from './services/participants/retention-purge.ts';
import { ImportRejectedError } from './services/benchmark/import-benchmark-file.ts';
import { PersonaLibraryError } from './services/persona-library.ts';
import { prepareData } from './services/prepare-data.ts';
import { removeLeftoverUploads } from './services/research/upload-temp.ts';
import { ensureFirstResearcher } from './services/auth/accounts.ts';
import { AppError } from '../shared/errors.ts';
import { asDatabaseError, DatabaseUnusableError, MigrationError } from './storage/errors.ts';
import { openStorage } from './open-storage.ts';
import { holdServerLease, ServerLeaseHeldError, type HeldServerLease } from './services/server-lease.ts';
import { holdNodeLease } from './services/node-lease.ts';
import { ResearchWorker } from './services/jobs/research-worker.ts';
import type { ServerLeaseHolder } from './storage/server-lease-storage.ts';

/**
 * Composition root: config → storage → server lease → app → data → listen → recovery of what a previous process left;
 * closes everything (and gives the lease up) on SIGINT/SIGTERM.
 */
export async function main(): Promise<{ url: string }> {
  const config = loadConfig();
  // Read the models file before opening anything, so a bad file stops start-up with its own message.
  // Every model call of the app (live play's model under test, simulator, labeler, judges; model checks) runs on the
  // model-call thread, which builds its own registry from the same file: the loop only relays deltas to people.
  const models = new ThreadedModels(
    new ModelRegistry(loadModelConfigs(config.modelsFile), (v) => secretFromEnv(v)),
    new ModelThread({ modelsFile: config.modelsFile }),
  );
  // The server commits from its event loop: on SQLite, WAL checkpoints (copy + fsync) run on a worker thread instead,
  // and a write that meets another connection's lock (the research worker's, an import's) is retried on a timer
  // instead of sleeping in SQLite's busy handler with every person's socket waiting (busy-retry.ts, open-storage.ts).
  // Messages name the database by describeDatabase: a PostgreSQL URL's password is never written anywhere.
  const databaseName = describeDatabase(config.database);
  const storage = await openStorage(config.database, 'server').catch((error: unknown) => {
    throw isSqliteError(error) ? asDatabaseError(databaseName, error) : error;
  });
  // SQLite: one server per database, taken before anything is written: a second one would take over the first's live
  // episodes and batch runs at start-up. PostgreSQL: several servers ("nodes") may serve it, each under its own lease,
  // and each live episode is owned by one node at a time (services/live/episode-ownership.ts).
  // Set once the app exists: a server whose lease another process took must stop, or two would serve one database.
  // A loss noticed while starting is kept and acted on as soon as the app can stop (renewal reports it only once).
  const shared = config.database.kind === 'postgres';
  const lostWhileStarting: { holder: ServerLeaseHolder | null }[] = [];
  let onLeaseLost = (holder: ServerLeaseHolder | null): void => {
    lostWhileStarting.push({ holder });
  };
  let onRenewFailed: (error: unknown) => void = () => undefined;
  const lease: HeldServerLease & { node?: string } = await (
    shared
      ? holdNodeLease(storage.nodes, { ttlMs: config.nodeLeaseMs, onRenewFailed: (error) => onRenewFailed(error) })
      : holdServerLease(storage.serverLease, databaseName, {
          onLost: (holder) => onLeaseLost(holder),
          onRenewFailed: (error) => onRenewFailed(error),
        })
  ).catch(async (error: unknown) => {
    await storage.close();
    throw isSqliteError(error) ? asDatabaseError(databaseName, error) : error;
  });
  const closeStorage = async (): Promise<void> => {
    // After app.close(), which stopped the live episodes (their calls aborted): cancels what is left, ends the thread.
    await models.thread.close();
    await lease.release().catch(() => undefined); // Unreleased, it expires by itself.
    await storage.close();
  };
  // Background jobs (batch runs, …) run on this thread, off the event loop; started once recovery is done.
  let researchWorker: ResearchWorker | null = null;
  const app = await buildApp({
    config,
    storage,
    models,
    logger: { level: config.logLevel },
    node: { id: lease.node ?? randomUUID(), leaseMs: config.nodeLeaseMs, shared },
    researchWorker: (log) =>
      (researchWorker = new ResearchWorker({
        database: config.database,
        modelsFile: config.modelsFile,
        promptsDir: config.promptsDir,
        jobs: storage.jobs,
        log,
      })),
  }).catch(async (error: unknown) => {
    await closeStorage();
    throw isSqliteError(error) ? asDatabaseError(databaseName, error) : error;
  });
  models.thread.useLog(app.log);
  try {
    // Uploads a killed process left in the temp folder (upload-temp.ts); running uploads of other servers stay.
    const leftovers = await removeLeftoverUploads();
    if (leftovers > 0)
      app.log.info(`removed ${leftovers} unfinished upload folder(s) left in ${tmpdir()} by earlier runs`);
    // An import a killed process left half written is invisible (its file is still 'importing'): removed here, so
    // the file can be imported again (import-discard-queries.ts).
    const unfinished = await storage.removeUnfinishedImports();
    if (unfinished > 0) app.log.info(`removed ${unfinished} benchmark import(s) an earlier run left unfinished`);
    await prepareData(storage, config, app.log);
    const admin =
      config.adminUsername !== null && config.adminPassword !== null
        ? await ensureFirstResearcher(storage, {
            username: config.adminUsername,
            password: config.adminPassword,
          })
        : null;
    if (admin) app.log.info(`created the first researcher account "${admin.username}" (PREFDISCO_ADMIN_USERNAME)`);
    else if ((await storage.people.countResearchers()) === 0) {
      app.log.warn(
        'no researcher account yet: open the setup link printed once the server listens in a browser on this machine, or run `prefdisco admin create --username NAME` (or set PREFDISCO_ADMIN_USERNAME and PREFDISCO_ADMIN_PASSWORD)',
      );
    }
  } catch (error) {
    await app.close();
    await closeStorage();
    // The disk filling up while the sample is imported is the database's problem, not a bug: say so in one line.
    throw isSqliteError(error) ? asDatabaseError(databaseName, error) : error;
  }

  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
    // Now rather than on the first call: a person's first turn should not wait for the thread to compile and start.
    models.thread.start();
    // Only a server that listens takes over what a previous process left. On SQLite this one holds the database's
    // lease, so no worker of an earlier process is alive: the jobs it held go back to the queue now, not when their
    // leases expire. On PostgreSQL other nodes' workers may be alive: a dead node's jobs are claimed again once their
    // job leases expire, and only episodes no live node owns are resumed. Runs resume on the research worker; runs
    // without a job (stored before runs had them) stay interrupted; live episodes continue where they stopped.
    const requeued = shared ? 0 : await storage.jobs.requeueRunningJobs();
    const runs = await app.batchRuns.recover();
    if (runs.interrupted > 0) app.log.info(`marked ${runs.interrupted} batch runs left running as interrupted`);
    if (requeued > 0) app.log.info(`resuming ${requeued} background jobs a previous process left running`);
    // The thread costs a second copy of the server's code and a few seconds of CPU to start: a server with nothing
    // queued starts it when the first job arrives (ResearchWorker.wake) instead of competing with its first requests.
    // Beside other nodes (PostgreSQL) it starts at once: a node that dies later leaves running jobs that only a
    // polling worker claims again once their leases expire, and nothing else would wake this one for them.
    const queued = shared || requeued > 0 || (await storage.jobs.listJobs({ statuses: ['queued'] })).length > 0;
    if (queued) (researchWorker as ResearchWorker | null)?.start();
    const resumed = await app.live.recover();
    if (resumed > 0) app.log.info(`resumed ${resumed} live episodes`);
  } catch (error) {
    await app.close();
    await closeStorage();
    throw isSqliteError(error) ? asDatabaseError(databaseName, error) : error;
  }
  // Participant data of studies closed longer than their retention is deleted at start-up and then daily.
  const purge =
    config.retentionPurgeIntervalMs > 0 ? startRetentionPurge(storage, app.log, config.retentionPurgeIntervalMs) : null;
  const url = address.replace('127.0.0.1', 'localhost');
  app.log.info(`PrefDisco Live is serving at ${url} (database ${databaseName})`);
  if ((await storage.people.countResearchers()) === 0) {
    // The one-time token is shown here and nowhere else: whoever creates the first account has read this console.
    // Under `npm run dev` the browser app is on Vite's port (it proxies the API), so the link names that one.
    const port = config.setupLinkPort === null ? new URL(url).port : String(config.setupLinkPort);
    const local = port ? `localhost:${port}` : 'localhost';
    app.log.warn(
      `first-run setup: open http://${local}/setup#token=${app.setupToken.value} in a browser on this machine to create the first researcher account (from elsewhere: ssh -L ${port || 80}:${local} to this machine first)`,
    );
  }

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    await purge?.stop();
    await app.close();
    await closeStorage();
  };
  const stopOnLeaseLost = (holder: ServerLeaseHolder | null): void => {
    app.log.error(
      { holder },
      'another server took over this database (the lease could not be renewed in time): stopping this one',
    );
    process.exitCode = 1;
    void shutdown('lease lost');
  };
  onLeaseLost = stopOnLeaseLost;
  for (const lost of lostWhileStarting) stopOnLeaseLost(lost.holder);
  onRenewFailed = (error) => {
    app.log.warn({ err: error }, 'could not renew the server lease (retrying before it expires)');
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { url };
}

function isSqliteError(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_');
}

/** Start-up failures a person can fix get one clear message on stderr, not a stack trace. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ImportRejectedError) {
    const lines = error.report.issues
      .filter((i) => i.severity === 'error')
      .slice(0, 20)
      .map((i) => formatIssue(error.report.file, i));
    return `the sample benchmark is invalid:\n  ${lines.join('\n  ')}`;
  }
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnusableError ||
    error instanceof PersonaLibraryError ||
    error instanceof MigrationError ||
    error instanceof ModelsConfigError ||
    error instanceof ServerLeaseHeldError
  )
    return error.message;
  if (error instanceof AppError && (error.code === 'invalid_username' || error.code === 'weak_password'))
    return `cannot create the first researcher (PREFDISCO_ADMIN_USERNAME/PASSWORD): ${error.message}`;
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return `${(error as Error).message}: another program is using the port; set PREFDISCO_PORT to another one`;
  }
  if ((error as NodeJS.ErrnoException).code === 'EACCES' && (error as NodeJS.ErrnoException).syscall === 'listen') {
    return `${(error as Error).message}: this user may not use the port; set PREFDISCO_PORT to one above 1023`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// Run directly (`tsx server/main.ts`, as `npm run dev` does) rather than imported by the CLI or tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`prefdisco: ${describeStartupError(error)}\n`);
    process.exit(1);
  });
}
