import type { RunProgress, RunStatus } from '../../../shared/schemas/research.ts';
import type { Job } from '../../storage/job-storage.ts';
import type { QueuedRunStorage } from '../../storage/queued-run-storage.ts';
import type { BatchQueue } from '../batch-queue/batch-queue.ts';
import { runQueuedBatch, type QueuedRunDeps } from '../batch-queue/queued-run.ts';
import type { Storage } from '../../storage/storage.ts';
import { ResultsFileError, runBatch, type BatchProgress } from '../evaluation/batch-run.ts';
import type { JobContext, JobHandler, JobStopReason } from '../jobs/job-runner.ts';
import { yieldingModels } from '../jobs/yielding-models.ts';
import type { Logger } from '../logger.ts';
import type { UsageTotals } from '../../models/metered-provider.ts';
import { recordsSha256 } from './records-sha256.ts';
import { runProgress } from './run-progress.ts';
import { runModels, type MeteredModels, type ModelLookup } from './run-options.ts';
import { studyRunSpec } from './study-run-spec.ts';

/** Jobs of this kind run one browser-started batch run (`runBatch` over a study's stored records). */
export const BATCH_RUN_JOB = 'batch_run';

export const batchRunJobKey = (runId: string): string => `${BATCH_RUN_JOB}:${runId}`;

/** What the job carries: the run (its row has the options and results file) and the records it draws from. */
export interface BatchRunJobPayload {
  runId: string;
  /** The live study's selection as it was when the run started; null: every record of the study. */
  problemIds: string[] | null;
}

export { recordsSha256 };

export interface BatchRunJobDeps {
  storage: Storage;
  models: ModelLookup;
  /**
   * On PostgreSQL: the job queue the run's chunks go through, to be played by this thread's queue worker and
   * `prefdisco worker` processes (services/batch-queue/), and the tries a chunk gets (queued-run.ts's defaults when
   * absent); absent: the run is played here by `runBatch`.
   */
  sharedRuns?: { queue: BatchQueue; queuedRuns: QueuedRunStorage } & Pick<
    QueuedRunDeps,
    'chunkTries' | 'chunkRetrySeconds'
  >;
  /** How often a running run's progress is written to its row (default 1 s): the status route reads it there. */
  persistEveryMs?: number;
}

interface Progress {
  models: MeteredModels;
  batch: BatchProgress;
  startedAt: number;
  /** Time the run spent in earlier attempts (before a restart), so elapsed time adds up across resumes. */
  earlierMs: number;
  /** A shared run's usage, summed in the database over every worker's chunks (this process's meters see none of it). */
  sharedUsage: UsageTotals | null;
}

/**
 * The handler of batch-run jobs. Resuming is runBatch's own: episodes already in the run's results file are skipped,
 * so a run claimed again after a crash or shutdown finishes with every episode once. A cancel or shutdown stops the
 * run as 'interrupted' (after a shutdown the job stays queued, and the next claim sets the run running again).
 */
export function batchRunJobHandler(deps: BatchRunJobDeps): JobHandler {
  return async (job: Job, { signal, log: jobLog }: JobContext): Promise<void> => {
    const { storage } = deps;
    const payload = job.payload as BatchRunJobPayload;
    const run = await storage.research.getRun(payload.runId);
    if (!run?.outPath) throw new Error(`batch run ${payload.runId} is not stored (or has no results file)`);
    const log = jobLog.child({ studyId: run.studyId, runId: run.id });
    const progress: Progress = {
      models: runModels(yieldingModels(deps.models), run.options),
      batch: { total: 0, done: 0, failed: 0, skipped: 0, running: 0, elapsedMs: 0 },
      startedAt: Date.now(),
      earlierMs: job.attempts > 1 ? (run.progress?.elapsedMs ?? 0) : 0,
      sharedUsage: null,
    };
    const persist = async (final?: { status: RunStatus; error?: RunProgress['error'] }): Promise<void> => {
      try {
        await storage.research.updateRun(run.id, {
          status: final?.status ?? 'running',
          progress: snapshot(progress, final?.error),
        });
      } catch (error) {
        // Progress is a convenience; a failed write must not stop the run (the episodes and results file are the data).
        log.error({ err: error }, 'storing batch run progress failed');
      }
    };
    if (signal.aborted) {
      // Cancelled before any work (its worker died after the cancel was asked): it ends as the cancel left it.
      await persist({ status: 'interrupted' });
      return;
    }
    await persist();
    const timer = setInterval(() => void persist(), deps.persistEveryMs ?? 1000);
    try {
      const records = await storage.research.listStudyRecords(run.studyId);
      const spec = studyRunSpec({ ...run, outPath: run.outPath }, records, payload.problemIds);
      // The run's row gets the hash here, not when the run was started: working it out reads every record, which the
      // live loop must not do.
      await storage.research.updateRun(run.id, {
        progress: snapshot(progress),
        benchmarkSha256: spec.prepared.sha256,
      });
      const onProgress = (p: BatchProgress): void => {
        progress.batch = p;
      };
      const summary = deps.sharedRuns
        ? await runQueuedBatch(run.id, payload.problemIds, {
            storage,
            ...deps.sharedRuns,
            models: deps.models,
            signal,
            // A shutdown or a lost lease only stops following the run: the workers go on, the next claim follows it.
            cancels: (reason) => reason === ('cancelled' satisfies JobStopReason),
            onProgress,
            onUsage: (usage) => {
              progress.sharedUsage = { ...usage, failedCalls: 0 };
            },
          })
        : await runBatch({ ...spec, models: progress.models, storage, signal, onProgress });
      progress.batch = summary;
      clearInterval(timer);
      const status: RunStatus = summary.interrupted ? 'interrupted' : 'completed';
      log.info(
        {
          status,
          stoppedBy: summary.interrupted ? (signal.reason as JobStopReason) : undefined,
          done: summary.done,
          failed: summary.failed,
          resumed: summary.skipped,
        },
        'batch run ended',
      );
      await persist({ status });
    } catch (error) {
      clearInterval(timer);
      await persist({ status: 'failed', error: failure(error, log) });
      throw error;
    }
  };
}

function failure(error: unknown, log: Logger): RunProgress['error'] {
  if (error instanceof ResultsFileError)
    return {
      code: 'results_file_invalid',
      message: `${error.issues.length} lines of the results file are not result lines`,
    };
  log.error({ err: error }, 'batch run stopped');
  return { code: 'internal', message: 'the run stopped on an internal error; the server log has the details' };
}

function snapshot(p: Progress, error?: RunProgress['error']): RunProgress {
  const usage = p.sharedUsage
    ? [p.sharedUsage]
    : [p.models.assistant, p.models.judge, p.models.simulator].map((m) => m.totals);
  return runProgress(p.batch, usage, p.earlierMs + Date.now() - p.startedAt, error);
}
