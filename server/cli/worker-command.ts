import { hostname } from 'node:os';
import type { Command } from 'commander';
import { describeDatabase, loadConfig, secretFromEnv } from '../config.ts';
import { openStorage } from '../open-storage.ts';
import { BatchQueue } from '../services/batch-queue/batch-queue.ts';
import { ChunkPlayer } from '../services/batch-queue/chunk-player.ts';
import { QueueWorker } from '../services/batch-queue/queue-worker.ts';
import type { LogFn, Logger } from '../services/logger.ts';
import { declaredModels } from '../services/research/declared-models.ts';
import { PostgresQueuedRuns } from '../storage/postgres/postgres-queued-runs.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { integerAtLeast } from './cli-options.ts';

interface WorkerOptions {
  slots: number;
  name?: string;
  maintenanceSeconds: number;
}

export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .summary('play chunks of batch runs shared through the PostgreSQL job queue')
    .description(
      'Play chunks of browser-started batch runs shared through the job queue of the PostgreSQL database ' +
        '(PREFDISCO_DATABASE_URL), beside the server and other workers on any machine, with the models of ' +
        'PREFDISCO_MODELS_FILE, until SIGTERM or Ctrl+C: the chunks being played then stop and go back to the queue ' +
        'at once. Logs JSON lines on stderr. Exit 0 stopped, 2 no PostgreSQL database configured.',
    )
    .option('--slots <N>', 'chunks played at once (each with its run’s concurrency)', integerAtLeast(1), 1)
    // No default value: commander would print this process's pid in the help, which the README quotes.
    .option('--name <NAME>', 'this worker’s name, stored with what it plays (default: <host>:<pid>)')
    .option(
      '--maintenance-seconds <S>',
      'how often the queue’s maintenance may run here (it gives the chunks of dead workers to others)',
      integerAtLeast(1),
      15,
    )
    .action(async (options: WorkerOptions) => ctx.exit(await work(options, ctx.io)));
}

/** One JSON line per log call on stderr, so a supervisor (systemd, a test) can read them. */
function lineLogger(io: CliIo, bindings: Record<string, unknown>): Logger {
  const at =
    (level: string): LogFn =>
    (objOrMsg: object | string, msg?: string) => {
      const fields = typeof objOrMsg === 'string' ? {} : { ...objOrMsg };
      const err = (fields as { err?: unknown }).err;
      if (err instanceof Error) (fields as { err?: unknown }).err = { message: err.message, stack: err.stack };
      io.err(
        JSON.stringify({
          level,
          time: Date.now(),
          ...bindings,
          ...fields,
          msg: typeof objOrMsg === 'string' ? objOrMsg : (msg ?? ''),
        }),
      );
    };
  return {
    debug: () => undefined,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => lineLogger(io, { ...bindings, ...more }),
  };
}

async function work(options: WorkerOptions, io: CliIo): Promise<number> {
  const config = loadConfig();
  if (config.database.kind !== 'postgres') {
    io.err(
      `prefdisco worker: batch runs are shared only on PostgreSQL; ${describeDatabase(config.database)} is SQLite ` +
        '(set PREFDISCO_DATABASE_URL)',
    );
    return 2;
  }
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = lineLogger(io, { worker: name });
  const storage = await openStorage(config.database, 'thread');
  const queuedRuns = PostgresQueuedRuns.open(config.database.url);
  const queue = await BatchQueue.open(config.database.url, { maintenanceSeconds: options.maintenanceSeconds });
  const models = declaredModels(config.modelsFile, (v) => secretFromEnv(v));
  const worker = new QueueWorker({
    queue,
    player: new ChunkPlayer({ storage, queuedRuns, models, worker: name }),
    log,
    slots: options.slots,
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  worker.start();
  log.info({ slots: options.slots }, 'worker started');
  await stopped;
  const releasedChunks = await worker.stop();
  await queue.close();
  await queuedRuns.close();
  await storage.close();
  log.info({ completedChunks: worker.completed, releasedChunks }, 'worker stopped');
  return 0;
}
