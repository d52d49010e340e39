import { hostname } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { secretFromEnv } from './config.ts';
import { openStorage } from './open-storage.ts';
import type { LogFn, Logger } from './services/logger.ts';
import { declaredModels } from './services/research/declared-models.ts';
import { studyPromptPacks } from './services/studies/study-prompt-packs.ts';
import { createStudyWork } from './services/studies/study-work-service.ts';
import { jobHandlers } from './services/jobs/job-handlers.ts';
import { JobRunner } from './services/jobs/job-runner.ts';
import { runThisWriterInBackground } from './services/thread-priority.ts';
import { BatchQueue } from './services/batch-queue/batch-queue.ts';
import { ChunkPlayer } from './services/batch-queue/chunk-player.ts';
import { QueueWorker } from './services/batch-queue/queue-worker.ts';
import { PostgresQueuedRuns } from './storage/postgres/postgres-queued-runs.ts';
import { joinLoopWriteGate } from './storage/write-gate.ts';
import type { FromWorker, LogLevel, ResearchWorkerData, ToWorker } from './services/jobs/research-worker-protocol.ts';

/**
 * The research worker thread (started by services/jobs/research-worker.ts; a composition root like main.ts): its own connection to the server's database and its own
 * model registry from the models file, and a JobRunner claiming batch runs and the other background jobs. Nothing
 * here touches participants' sockets; the server's event loop stays free for them.
 */
const port = parentPort;
if (!port) throw new Error('research-worker-main.ts runs only as a worker thread');
const data = workerData as ResearchWorkerData;

const post = (message: FromWorker): void => {
  try {
    port.postMessage(message);
  } catch {
    // A field that cannot be cloned (a function, a socket): the line is sent as text instead of lost.
    if (message.type === 'log')
      port.postMessage({ ...message, fields: { detail: String(JSON.stringify(message.fields)) } });
  }
};

function threadLogger(bindings: Record<string, unknown>): Logger {
  const at =
    (level: LogLevel): LogFn =>
    (objOrMsg: object | string, msg?: string) => {
      const fields = typeof objOrMsg === 'string' ? bindings : { ...bindings, ...objOrMsg };
      post({ type: 'log', level, fields, msg: typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '') });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => threadLogger({ ...bindings, ...more }),
  };
}

const log = threadLogger({});
// Batch runs and twins leave the CPU to the live loop's people: at most half a core (thread-priority.ts).
log.debug({ cpuClock: runThisWriterInBackground() }, 'the research worker runs under a CPU share');
// …and their writes leave SQLite's write lock to the loop while it waits for it.
joinLoopWriteGate(data.writeGate);
const storage = await openStorage(data.database, 'thread');
const models = declaredModels(data.modelsFile, (v) => secretFromEnv(v));
// What simulated twins need besides models: their live episode's pinned prompt pack, and the rating queue they join.
const promptPacks = data.promptsDir === undefined ? undefined : studyPromptPacks(data.promptsDir);
const work = createStudyWork({
  storage,
  isDeclaredModel: (name) => models.names().includes(name),
  ...(promptPacks ? { promptPacks } : {}),
});
// On PostgreSQL batch runs go through the shared job queue, and this thread plays their chunks beside any
// `prefdisco worker` processes (docs/ARCHITECTURE.md, "Batch runs on several workers").
const sharedRuns =
  data.database.kind === 'postgres'
    ? { queue: await BatchQueue.open(data.database.url), queuedRuns: PostgresQueuedRuns.open(data.database.url) }
    : undefined;
const queueWorker = sharedRuns
  ? new QueueWorker({
      queue: sharedRuns.queue,
      player: new ChunkPlayer({
        storage,
        queuedRuns: sharedRuns.queuedRuns,
        models,
        worker: `server:${hostname()}:${process.pid}`,
      }),
      log: log.child({ queue: 'batch' }),
    })
  : null;
const runner = new JobRunner({
  jobs: storage.jobs,
  handlers: jobHandlers({
    storage,
    models,
    ...(promptPacks ? { prompts: (folder: string) => promptPacks.load(folder) } : {}),
    onAnswered: async (studyId, episodeId) => void (await work.addRatingCandidates(studyId, [episodeId])),
    ...(sharedRuns ? { sharedRuns } : {}),
  }),
  log,
  concurrency: data.concurrency,
  leaseMs: data.leaseMs,
  // The server's event loop renews the leases: this thread's timers may be held up by its own work or the scheduler
  // (services/jobs/job-lease-keeper.ts).
  leaseRenewal: {
    started: (jobId) => post({ type: 'job', jobId, running: true }),
    ended: (jobId) => post({ type: 'job', jobId, running: false }),
  },
});

let stopping = false;
port.on('message', (message: ToWorker) => {
  if (message.type === 'wake') runner.wake();
  else if (message.type === 'cancel') runner.cancel(message.jobId);
  else if (message.type === 'leaseLost') runner.leaseLost(message.jobId);
  else if (!stopping) {
    stopping = true;
    void Promise.all([runner.stop(), queueWorker?.stop()])
      .then(() => Promise.all([sharedRuns?.queue.close(), sharedRuns?.queuedRuns.close()]))
      .then(() => storage.close())
      .finally(() => {
        post({ type: 'stopped' });
        port.close();
      });
  }
});
runner.start();
queueWorker?.start();
post({ type: 'ready', owner: runner.owner });
