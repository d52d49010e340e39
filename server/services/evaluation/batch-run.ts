import { setMaxListeners } from 'node:events';
import { personaIdOf } from '../../../shared/benchmark/record-checks.ts';
import { ConcurrencyLimit } from '../../models/concurrency-limit.ts';
import type { Storage } from '../../storage/storage.ts';
import { aggregateLine } from './aggregate-line.ts';
import { runBatchEpisode, type EpisodeContext, type EpisodeOutcome } from './batch-episode.ts';
import { planBatch, resumeFromResults, type BatchPlan } from './batch-plan.ts';
import type { BatchDeps, BatchRunOptions, BatchSummary } from './batch-spec.ts';
import type { Job } from './job-plan.ts';
import { ProgressCounter } from './progress-counter.ts';
import { appendJsonLine, readResultsFile } from './result-files.ts';
import { SharedBaselines } from './shared-baseline.ts';

export {
  ImagesMismatchError,
  InvalidBenchmarkError,
  PromptPackMismatchError,
  ResultsFileError,
} from './batch-errors.ts';
export type {
  BatchDeps,
  BatchProgress,
  BatchRunOptions,
  BatchSpec,
  BatchSummary,
  PreparedBenchmark,
} from './batch-spec.ts';

/**
 * Runs the benchmark in bulk: every (record, mode, user type) not already in the results file, `concurrency` episodes
 * at a time. Each finished episode is appended to the results file (reference format) and stored with its event log;
 * failures go to `<out>_failures.jsonl` with their reason. Aborting stops new episodes and cancels running ones; a
 * rerun resumes. On completion the reference's aggregate line is appended to `<out>_aggregate.jsonl`.
 *
 * The phases: plan the jobs → resume from the results file → open the run → schedule the episodes → aggregate.
 */
export async function runBatch(options: BatchRunOptions): Promise<BatchSummary> {
  const { models, storage, signal, onProgress, ...spec } = options;
  const progress = new ProgressCounter(onProgress);
  const plan = await planBatch(spec);
  const resume = await resumeFromResults(plan, models.judge, signal);
  const invalidRecords = recordSkippedLines(plan);
  const imageSkipped = recordImageSkips(plan);
  const runId = spec.runId ?? (await openRun(plan, storage));
  if (spec.runId && storage) await abortUnrecorded(plan, spec.runId, storage);
  progress.begin(plan.jobs.length, plan.jobs.length - resume.todo.length);
  const baselines = plan.settings.shareBaseline
    ? new SharedBaselines((await readResultsFile(plan.outFile)).results)
    : null;
  await scheduleEpisodes(resume.todo, { plan, runId, models, storage, baselines }, spec.concurrency, signal, progress);
  const interrupted = signal.aborted;
  const aggregateFile = interrupted ? null : await appendAggregate(plan, models);
  return {
    ...progress.snapshot(),
    interrupted,
    rejudged: resume.rejudged,
    invalidRecords,
    imageSkipped,
    runId,
    outFile: plan.outFile,
    aggregateFile,
    failuresFile: plan.failuresFile,
  };
}

/**
 * The benchmark lines a tolerant run leaves out go to the failures file, one line each with every reason, so a
 * researcher sees what the run did not evaluate and why. Returns how many.
 */
function recordSkippedLines(plan: BatchPlan): number {
  const skipped = plan.benchmark.skipped ?? [];
  for (const s of skipped) {
    appendJsonLine(plan.failuresFile, {
      problem_id: s.problemId,
      persona_id: s.personaId,
      mode: null,
      user_type: null,
      stage: 'validation',
      code: 'record_not_runnable',
      reason: s.reasons.join('; '),
      line: s.line,
      timestamp: Date.now() / 1000,
    });
  }
  return skipped.length;
}

/**
 * `--image`: the records left out for want of a usable image go to the failures file too, one line each with why.
 * Not an error of the file (the reference skips them silently), so they are counted apart. Returns how many.
 */
function recordImageSkips(plan: BatchPlan): number {
  const skipped = plan.images?.skipped ?? [];
  for (const { record, reason } of skipped) {
    appendJsonLine(plan.failuresFile, {
      problem_id: record.problem_id,
      persona_id: personaIdOf(record),
      mode: null,
      user_type: null,
      stage: 'image',
      code: 'no_usable_image',
      reason,
      line: plan.benchmark.lineOf?.(record) ?? null,
      timestamp: Date.now() / 1000,
    });
  }
  return skipped.length;
}

/**
 * Phase 3, resuming a stored run: episodes stored completed whose results line never got written (the process stopped
 * between the two) are marked aborted; they are not in the results file, so the run plays them again.
 */
async function abortUnrecorded(plan: BatchPlan, runId: string, storage: Storage): Promise<void> {
  const recorded = (await readResultsFile(plan.outFile)).results.flatMap((r) => {
    const id = (r as { prefdisco_live?: { episode_id?: unknown } }).prefdisco_live?.episode_id;
    return typeof id === 'string' ? [id] : [];
  });
  await storage.abortUnrecordedEpisodes(
    runId,
    recorded,
    'the process stopped before its results line was written; the resumed run played it again',
  );
}

/** Phase 3: the run's row in storage, which every stored episode refers to (none without storage). */
async function openRun(plan: BatchPlan, storage: Storage | null): Promise<string | null> {
  if (!storage) return null;
  const run = await storage.createRun({
    benchmarkPath: plan.benchmarkFile,
    benchmarkSha256: plan.benchmark.sha256,
    outPath: plan.outFile,
    options: plan.settings,
  });
  return run.id;
}

/**
 * Phase 4: the episodes, `concurrency` at a time, started in `todo`'s order. Once the run's signal fires nothing new
 * starts and the running episodes are cancelled. Also how a queue worker plays its chunk of a shared run.
 */
export async function scheduleEpisodes(
  todo: Job[],
  ctx: EpisodeContext,
  concurrency: number,
  signal: AbortSignal,
  progress: ProgressCounter,
): Promise<void> {
  // Each running episode listens on the run's signal once, through its own controller; its calls listen on that.
  setMaxListeners(Math.max(10, concurrency + 10), signal);
  const limit = new ConcurrencyLimit(Math.max(1, concurrency));
  await limit.map(todo, signal, async (job) => {
    const episode = new AbortController();
    const stop = (): void => episode.abort();
    signal.addEventListener('abort', stop, { once: true });
    progress.started();
    let outcome: EpisodeOutcome | null = null;
    try {
      outcome = await runBatchEpisode(job, ctx, episode.signal);
    } finally {
      signal.removeEventListener('abort', stop);
      progress.ended(outcome);
    }
  });
}

/** Phase 5: the reference's aggregate line over every result in the file, this run's and earlier ones'. */
export async function appendAggregate(plan: BatchPlan, models: BatchDeps['models']): Promise<string> {
  const all = await readResultsFile(plan.outFile);
  const shard = plan.settings.shard;
  appendJsonLine(
    plan.aggregateFile,
    aggregateLine(
      models.assistant.config.name,
      all.results,
      shard ? { shard_id: shard.index, num_shards: shard.count } : undefined,
    ),
  );
  return plan.aggregateFile;
}
