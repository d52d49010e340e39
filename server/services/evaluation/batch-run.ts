import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { detectSourceTask, taskForDataset } from '../../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../engine/episode-errors.ts';
import { EpisodeLog } from '../../engine/episode-log.ts';
import { runEpisode } from '../../engine/episode-runner.ts';
import type { Storage } from '../../storage/storage.ts';
import { validateBenchmarkFile, type ValidationReport } from '../benchmark/validate-benchmark-file.ts';
import { aggregateLine } from './aggregate-line.ts';
import { batchParticipants, buildProvenance, type EvaluationModels } from './episode-setup.ts';
import { jobKey, planJobs, sampleRecords, shardOf, type Job, type Shard } from './job-plan.ts';
import { rejudgeMissingCorrectness } from './rejudge.ts';
import { appendJsonLine, companionPath, readResultsFile, type ResultLineIssue } from './result-files.ts';
import { resultLine } from './result-line.ts';
import { episodeSummary } from './episode-summary.ts';

/** Records already validated and stored (a study's), run instead of reading a file. */
export interface PreparedBenchmark {
  records: BenchmarkRecord[];
  sha256: string;
  taskOf(record: BenchmarkRecord): string;
}

export interface BatchRunOptions {
  /** The benchmark file to validate and run; with `prepared`, only a label recorded with the run. */
  benchmarkFile: string;
  prepared?: PreparedBenchmark;
  /** An existing run for the episodes to refer to (the server creates it first, to answer with its id at once). */
  runId?: string;
  outFile: string;
  models: EvaluationModels;
  modes: Mode[];
  /** Simulated user types for infer_persona (one discovery episode per type). */
  userTypes: UserType[];
  maxTurns: number;
  fixedQuestions: number | null;
  maxProblems: number | null;
  seed: number;
  shard: Shard | null;
  concurrency: number;
  reference: { missingScoreAsOne: boolean; correctnessTemperature: boolean };
  skipImages: boolean;
  storage: Storage | null;
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
}

export interface BatchProgress {
  total: number;
  done: number;
  failed: number;
  /** Already in the results file from an earlier run. */
  skipped: number;
  running: number;
  elapsedMs: number;
}

export interface BatchSummary extends BatchProgress {
  interrupted: boolean;
  rejudged: number;
  runId: string | null;
  outFile: string;
  aggregateFile: string | null;
  failuresFile: string;
}

export class InvalidBenchmarkError extends Error {
  constructor(readonly report: ValidationReport) {
    super(`${report.file}: the benchmark file is invalid (${report.errorCount} errors)`);
    this.name = 'InvalidBenchmarkError';
  }
}

export class ResultsFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ResultLineIssue[],
  ) {
    super(
      `${file}: ${issues.length} lines are not result lines (first: line ${issues[0]?.line}: ${issues[0]?.message}); fix or move the file`,
    );
    this.name = 'ResultsFileError';
  }
}

/** Validates a benchmark file in full; an invalid file is an InvalidBenchmarkError. */
async function readBenchmark(file: string, skipImages: boolean): Promise<PreparedBenchmark> {
  const report = await validateBenchmarkFile(file, { collect: true, skipImages });
  if (!report.valid || report.sha256 === null) throw new InvalidBenchmarkError(report);
  const datasetTask = taskForDataset(report.metadata?.dataset);
  return {
    records: report.records,
    sha256: report.sha256,
    taskOf: (r) => datasetTask ?? detectSourceTask(r.original_problem),
  };
}

/**
 * Runs the benchmark in bulk: every (record, mode, user type) not already in the results file, `concurrency` episodes
 * at a time. Each finished episode is appended to the results file (reference format) and stored with its event log;
 * failures go to `<out>_failures.jsonl` with their reason. Aborting stops new episodes and cancels running ones; a
 * rerun resumes. On completion the reference's aggregate line is appended to `<out>_aggregate.jsonl`.
 */
export async function runBatch(o: BatchRunOptions): Promise<BatchSummary> {
  const started = Date.now();
  const benchmark = o.prepared ?? (await readBenchmark(o.benchmarkFile, o.skipImages));
  mkdirSync(dirname(o.outFile), { recursive: true });
  const existing = await readResultsFile(o.outFile);
  if (existing.issues.length > 0) throw new ResultsFileError(o.outFile, existing.issues);

  const records = shardOf(sampleRecords(benchmark.records, o.maxProblems, o.seed), o.shard);
  const taskOf = benchmark.taskOf;
  const options = {
    maxTurns: o.maxTurns,
    fixedQuestions: o.fixedQuestions,
    modes: o.modes,
    userTypes: o.userTypes,
    seed: o.seed,
    maxProblems: o.maxProblems,
    shard: o.shard,
    reference: o.reference,
  };

  const rejudged = await rejudgeMissingCorrectness(o.outFile, existing, benchmark.records, o.models.judge, o.signal);
  const done = new Set(
    (await readResultsFile(o.outFile)).results.map((r) => jobKey(r.problem_id, r.mode, r.user_type)),
  );
  const planned = planJobs(records, o.modes, o.userTypes);
  // Longest first: discovery episodes take several times as many calls as the single-call modes, and starting them
  // first keeps the last minutes of a run from waiting on a few long episodes while other slots sit idle.
  const jobs = planned
    .filter((j) => !done.has(jobKey(j.record.problem_id, j.mode, j.userType)))
    .sort((a, b) => Number(b.mode === 'infer_persona') - Number(a.mode === 'infer_persona'));
  const failuresFile = companionPath(o.outFile, 'failures');
  const runId =
    o.runId ??
    (o.storage
      ? (
          await o.storage.createRun({
            benchmarkPath: o.benchmarkFile,
            benchmarkSha256: benchmark.sha256,
            outPath: o.outFile,
            options,
          })
        ).id
      : null);

  const progress: BatchProgress = {
    total: planned.length,
    done: 0,
    failed: 0,
    skipped: planned.length - jobs.length,
    running: 0,
    elapsedMs: 0,
  };
  const tick = (): void => o.onProgress?.({ ...progress, elapsedMs: Date.now() - started });
  tick();

  // Each running episode listens on the run's signal once, through its own controller; its calls listen on that.
  setMaxListeners(Math.max(10, o.concurrency + 10), o.signal);
  const runJob = async (job: Job): Promise<void> => {
    const episode = new AbortController();
    const stop = (): void => episode.abort();
    o.signal.addEventListener('abort', stop, { once: true });
    try {
      await runOneJob(job, episode.signal);
    } finally {
      o.signal.removeEventListener('abort', stop);
    }
  };
  const runOneJob = async (job: Job, signal: AbortSignal): Promise<void> => {
    const episodeId = randomUUID();
    const startedAt = new Date().toISOString();
    const simulatorUsed = job.mode === 'infer_persona';
    const provenance = buildProvenance(job.record, o.models, simulatorUsed, options, benchmark.sha256);
    const log = new EpisodeLog();
    const spec = {
      record: job.record,
      mode: job.mode,
      userType: job.userType,
      maxTurns: o.maxTurns,
      fixedQuestions: o.fixedQuestions,
      reference: o.reference,
    };
    const participants = batchParticipants(job.record, job.mode, job.userType, o.fixedQuestions, o.models, provenance);
    const save = (status: 'completed' | 'failed' | 'aborted'): Promise<void> =>
      o.storage?.saveEpisode(
        episodeSummary(episodeId, runId, spec, participants, log.events, status, startedAt),
        log.events,
      ) ?? Promise.resolve();
    try {
      const result = await runEpisode(spec, participants, log, signal);
      appendJsonLine(
        o.outFile,
        resultLine(job.record, job.mode, job.userType, result, {
          episodeId,
          task: taskOf(job.record),
          provenance,
          testModel: o.models.assistant.isTestModel,
        }),
      );
      await save('completed');
      progress.done += 1;
    } catch (error) {
      if (error instanceof EpisodeAbortedError) {
        await save('aborted');
        return;
      }
      if (!(error instanceof EpisodeFailure)) throw error;
      appendJsonLine(failuresFile, {
        problem_id: job.record.problem_id,
        persona_id: job.record.persona.id,
        mode: job.mode,
        user_type: job.userType,
        stage: error.stage,
        code: error.code,
        reason: error.message,
        episode_id: episodeId,
        timestamp: Date.now() / 1000,
      });
      await save('failed');
      progress.failed += 1;
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (!o.signal.aborted && next < jobs.length) {
      const job = jobs[next++] as Job;
      progress.running += 1;
      tick();
      try {
        await runJob(job);
      } finally {
        progress.running -= 1;
        tick();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, jobs.length)) }, worker));

  const interrupted = o.signal.aborted;
  let aggregateFile: string | null = null;
  if (!interrupted) {
    aggregateFile = companionPath(o.outFile, 'aggregate');
    const all = await readResultsFile(o.outFile);
    appendJsonLine(
      aggregateFile,
      aggregateLine(
        o.models.assistant.config.name,
        all.results,
        o.shard ? { shard_id: o.shard.index, num_shards: o.shard.count } : undefined,
      ),
    );
  }
  return {
    ...progress,
    elapsedMs: Date.now() - started,
    interrupted,
    rejudged,
    runId,
    outFile: o.outFile,
    aggregateFile,
    failuresFile,
  };
}
