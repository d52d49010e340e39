import type { QueuedRunStorage } from '../../storage/queued-run-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import type { EpisodeLines } from '../evaluation/batch-episode.ts';
import { planBatch, type BatchPlan } from '../evaluation/batch-plan.ts';
import { scheduleEpisodes } from '../evaluation/batch-run.ts';
import type { Job } from '../evaluation/job-plan.ts';
import { ProgressCounter } from '../evaluation/progress-counter.ts';
import { yieldingModels } from '../jobs/yielding-models.ts';
import { runModels, type ModelLookup } from '../research/run-options.ts';
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
    };
    const lines: EpisodeLines = {
      result: (job, line, episodeId) => store(job, 'done', line, episodeId),
      failure: (job, line, episodeId) => store(job, 'failed', line, episodeId),
    };
    try {
      const models = runModels(yieldingModels(this.deps.models), run.options);
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
    }
    return { played, skipped: stored.size, stopped: stop.signal.aborted };
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
