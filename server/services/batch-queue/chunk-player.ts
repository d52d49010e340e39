import { randomUUID } from 'node:crypto';
import { personaIdOf } from '../../../shared/benchmark/record-checks.ts';
import type { QueuedRunStorage, QueuedRunUsage } from '../../storage/queued-run-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import type { EpisodeLines } from '../evaluation/batch-episode.ts';
import { planBatch, type BatchPlan } from '../evaluation/batch-plan.ts';
import { scheduleEpisodes } from '../evaluation/batch-run.ts';
import type { Job } from '../evaluation/job-plan.ts';
import { ProgressCounter } from '../evaluation/progress-counter.ts';
import { yieldingModels } from '../jobs/yielding-models.ts';
import { runModels, type MeteredModels, type ModelLookup } from '../research/run-options.ts';
import { studyRunSpec } from '../research/study-run-spec.ts';
import type { ChunkJob } from './batch-queue.ts';

export interface ChunkPlayerDeps {
  storage: Storage;
  queuedRuns: QueuedRunStorage;
  models: ModelLookup;
  /** This process's name, stored with each line it plays. */
  worker: string;
  /** How often a running chunk reads its run's cancel flag (default 250 ms: a cancel stops it within a second). */
  cancelPollMs?: number;
}

export interface ChunkOutcome {
  /** Entries this claim played to an end (done or failed). */
  played: number;
  /** Entries an earlier claim of the chunk had stored already. */
  skipped: number;
  /** The run was cancelled, or this worker stopped, before the chunk's end. */
  stopped: boolean;
}

/** What became of a chunk whose play threw. */
export interface ChunkFailureOutcome {
  /** Tries used so far, this one included, and the run's limit. */
  tries: number;
  limit: number;
  /** No try left: its entries without a line are now recorded as failed, and the chunk is done. */
  givenUp: boolean;
  /** Otherwise: how long the queue holds it before the next try (the run's first pause, doubling each try). */
  retryInSeconds: number;
}

/** The usage of a chunk's three metered models together, as runProgress sums a run's. */
function usageOf(models: MeteredModels): QueuedRunUsage {
  const totals = [models.assistant, models.judge, models.simulator].map((m) => m.totals);
  const priced = totals.filter((t) => t.costUsd !== null);
  return {
    calls: totals.reduce((n, t) => n + t.calls, 0),
    inputTokens: totals.reduce((n, t) => n + t.inputTokens, 0),
    outputTokens: totals.reduce((n, t) => n + t.outputTokens, 0),
    costUsd: priced.length === 0 ? null : priced.reduce((n, t) => n + (t.costUsd ?? 0), 0),
  };
}

/** An error as the failures line and the log name it. */
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A run as its chunks need it: the plan every worker works out the same way, and what the queue recorded. */
interface PlannedRun {
  plan: BatchPlan;
  options: Parameters<typeof runModels>[1];
  concurrency: number;
}

/**
 * Plays chunks of shared batch runs: each entry of the chunk not yet stored is played by the same per-episode code a
 * one-process run uses (batch-run.ts `scheduleEpisodes` → batch-episode.ts), its episode stored with its log and its
 * results or failures line stored in `queued_run_lines` instead of appended to a file. A run's plan is worked out
 * from its stored records and options, as the one-process run does, so every worker numbers the entries alike.
 */
export class ChunkPlayer {
  /** The plans of the runs this process played last; a run's chunks mostly follow each other. */
  private readonly plans = new Map<string, Promise<PlannedRun>>();

  constructor(private readonly deps: ChunkPlayerDeps) {}

  async play(chunk: ChunkJob, signal: AbortSignal): Promise<ChunkOutcome> {
    const { storage, queuedRuns } = this.deps;
    const queued = await queuedRuns.getRun(chunk.runId);
    if (!queued || queued.cancelRequested) return { played: 0, skipped: 0, stopped: true };
    const run = await this.planned(chunk.runId, queued.problemIds);
    const stored = new Set(await queuedRuns.storedIndexes(chunk.runId, chunk.from, chunk.to));
    const indexOf = new Map<Job, number>();
    const todo: Job[] = [];
    for (let i = chunk.from; i < chunk.to; i++) {
      const job = run.plan.jobs[i];
      if (job === undefined) throw new Error(`run ${chunk.runId} has no plan entry ${i}: its records changed`);
      if (stored.has(i)) continue;
      indexOf.set(job, i);
      todo.push(job);
    }
    const stop = new AbortController();
    const onStop = (): void => stop.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    const poll = setInterval(() => {
      queuedRuns.getRun(chunk.runId).then(
        (r) => {
          if (!r || r.cancelRequested) stop.abort('cancel');
        },
        // A failed poll is tried again at the next tick; the episodes go on meanwhile.
        () => undefined,
      );
    }, this.deps.cancelPollMs ?? 250);
    let played = 0;
    // This claim's models, metered apart from any other chunk's, and their totals written after each stored line and
    // at the end, so the run's usage is the sum over its claims whichever worker played them.
    const claimId = randomUUID();
    let models: MeteredModels | null = null;
    let usageWrites: Promise<void> = Promise.resolve();
    const storeUsage = (): Promise<void> => {
      if (!models) return usageWrites;
      const usage = usageOf(models);
      if (usage.calls === 0) return usageWrites;
      // One write at a time, in order; a failed one fails its caller but not the writes after it.
      usageWrites = usageWrites
        .catch(() => undefined)
        .then(() => queuedRuns.storeUsage(chunk.runId, claimId, this.deps.worker, usage));
      return usageWrites;
    };
    const store = async (job: Job, outcome: 'done' | 'failed', line: object, episodeId: string | null) => {
      const jobIndex = indexOf.get(job);
      if (jobIndex === undefined) throw new Error('an episode ended that this chunk did not start');
      await queuedRuns.storeLine(chunk.runId, {
        jobIndex,
        outcome,
        lineJson: JSON.stringify(line),
        episodeId,
        worker: this.deps.worker,
      });
      played += 1;
      await storeUsage();
    };
    const lines: EpisodeLines = {
      result: (job, line, episodeId) => store(job, 'done', line, episodeId),
      failure: (job, line, episodeId) => store(job, 'failed', line, episodeId),
    };
    try {
      models = runModels(yieldingModels(this.deps.models), run.options);
      await scheduleEpisodes(
        todo,
        { plan: run.plan, runId: chunk.runId, models, storage, baselines: null, lines },
        run.concurrency,
        stop.signal,
        new ProgressCounter(),
      );
    } finally {
      clearInterval(poll);
      signal.removeEventListener('abort', onStop);
      // Calls of episodes that ended without a line (aborted, or the chunk threw) were paid for too.
      await storeUsage().catch(() => undefined);
    }
    return { played, skipped: stored.size, stopped: stop.signal.aborted };
  }

  /**
   * Counts a failed try of a chunk (its play threw). With tries left it goes back to the queue after a pause that
   * doubles each try; on the last one, every entry of the chunk without a line gets a failures line naming the error
   * and the worker, as a one-process run's failed episodes do, so the run ends and a later run with the same options
   * plays those entries again.
   */
  async failed(chunk: ChunkJob, error: unknown): Promise<ChunkFailureOutcome> {
    const { queuedRuns, worker } = this.deps;
    const queued = await queuedRuns.getRun(chunk.runId);
    if (!queued || queued.cancelRequested) return { tries: 0, limit: 0, givenUp: true, retryInSeconds: 0 };
    const failure = await queuedRuns.recordChunkFailure(chunk.runId, chunk.chunk, worker, errorText(error));
    const limit = Math.max(1, queued.chunkTries);
    if (failure.tries < limit) {
      const retryInSeconds = queued.chunkRetrySeconds * 2 ** (failure.tries - 1);
      return { tries: failure.tries, limit, givenUp: false, retryInSeconds };
    }
    const reason =
      `chunk ${chunk.chunk} (plan entries ${chunk.from}-${chunk.to - 1}) failed ${failure.tries} times; ` +
      `the last try, on worker ${failure.lastWorker}: ${failure.lastError}`;
    // The plan names each entry; should planning be what fails, the lines name the plan position alone.
    const jobs = await this.planned(chunk.runId, queued.problemIds).then(
      (r) => r.plan.jobs,
      () => null,
    );
    const stored = new Set(await queuedRuns.storedIndexes(chunk.runId, chunk.from, chunk.to));
    for (let i = chunk.from; i < chunk.to; i++) {
      if (stored.has(i)) continue;
      const job = jobs?.[i];
      const line = {
        problem_id: job?.record.problem_id ?? null,
        persona_id: job ? personaIdOf(job.record) : null,
        mode: job?.mode ?? null,
        user_type: job?.userType ?? null,
        stage: 'worker',
        code: 'chunk_failed',
        reason,
        episode_id: null,
        ...(job ? {} : { plan_index: i }),
        timestamp: Date.now() / 1000,
      };
      await queuedRuns.storeLine(chunk.runId, {
        jobIndex: i,
        outcome: 'failed',
        lineJson: JSON.stringify(line),
        episodeId: null,
        worker,
      });
    }
    return { tries: failure.tries, limit, givenUp: true, retryInSeconds: 0 };
  }

  private planned(runId: string, problemIds: string[] | null): Promise<PlannedRun> {
    let planned = this.plans.get(runId);
    if (!planned) {
      planned = this.plan(runId, problemIds);
      // Forgotten again if planning failed, so the next chunk tries afresh.
      planned.catch(() => this.plans.delete(runId));
      this.plans.set(runId, planned);
      for (const key of this.plans.keys()) if (this.plans.size > 4 && key !== runId) this.plans.delete(key);
    }
    return planned;
  }

  private async plan(runId: string, problemIds: string[] | null): Promise<PlannedRun> {
    const { storage } = this.deps;
    const run = await storage.research.getRun(runId);
    if (!run?.outPath) throw new Error(`batch run ${runId} is not stored (or has no results file)`);
    const records = await storage.research.listStudyRecords(run.studyId);
    const spec = studyRunSpec({ ...run, outPath: run.outPath }, records, problemIds);
    return { plan: await planBatch(spec), options: run.options, concurrency: spec.concurrency };
  }
}
