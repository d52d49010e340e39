import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { detectSourceTask, taskForDataset } from '../../../shared/benchmark/source-task.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import { validateBenchmarkFile } from '../benchmark/validate-benchmark-file.ts';
import { InvalidBenchmarkError, ResultsFileError } from './batch-errors.ts';
import type { BatchSpec, PreparedBenchmark } from './batch-spec.ts';
import { jobKey, planJobs, sampleRecords, shardOf, type Job, type Shard } from './job-plan.ts';
import { rejudgeMissingCorrectness } from './rejudge.ts';
import { companionPath, readResultsFile } from './result-files.ts';

/**
 * The settings recorded with the run and in every episode's provenance. A type, not an interface, so it is a
 * `Record<string, unknown>` where provenance wants one; its key order is part of the bytes of every result line.
 */
export type RecordedSettings = {
  maxTurns: number;
  fixedQuestions: number | null;
  modes: Mode[];
  userTypes: UserType[];
  seed: number;
  maxProblems: number | null;
  shard: Shard | null;
  reference: BatchSpec['reference'];
};

/** A run worked out from its spec before anything runs: what is benchmarked, with which settings, into which files. */
export interface BatchPlan {
  benchmarkFile: string;
  benchmark: PreparedBenchmark;
  settings: RecordedSettings;
  /** Every (record, mode, user type) of the run, in the reference's order. */
  jobs: Job[];
  outFile: string;
  failuresFile: string;
  aggregateFile: string;
}

/** What an earlier run into the same results file left: re-judged lines, and the jobs still to run, in start order. */
export interface ResumeState {
  rejudged: number;
  todo: Job[];
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

/** Phase 1: the benchmark (read and validated unless prepared), the seeded sample and shard, and the job list. */
export async function planBatch(spec: BatchSpec): Promise<BatchPlan> {
  const benchmark = spec.prepared ?? (await readBenchmark(spec.benchmarkFile, spec.skipImages));
  const records = shardOf(sampleRecords(benchmark.records, spec.maxProblems, spec.seed), spec.shard);
  return {
    benchmarkFile: spec.benchmarkFile,
    benchmark,
    settings: {
      maxTurns: spec.maxTurns,
      fixedQuestions: spec.fixedQuestions,
      modes: spec.modes,
      userTypes: spec.userTypes,
      seed: spec.seed,
      maxProblems: spec.maxProblems,
      shard: spec.shard,
      reference: spec.reference,
    },
    jobs: planJobs(records, spec.modes, spec.userTypes),
    outFile: spec.outFile,
    failuresFile: companionPath(spec.outFile, 'failures'),
    aggregateFile: companionPath(spec.outFile, 'aggregate'),
  };
}

/**
 * Phase 2: reads the results file an earlier run left (refusing one with lines that are not results), re-judges
 * lines whose correctness is missing, and returns the jobs not yet done.
 */
export async function resumeFromResults(
  plan: BatchPlan,
  judge: ModelProvider,
  signal: AbortSignal,
): Promise<ResumeState> {
  mkdirSync(dirname(plan.outFile), { recursive: true });
  const existing = await readResultsFile(plan.outFile);
  if (existing.issues.length > 0) throw new ResultsFileError(plan.outFile, existing.issues);
  const rejudged = await rejudgeMissingCorrectness(plan.outFile, existing, plan.benchmark.records, judge, signal);
  const done = new Set(
    (await readResultsFile(plan.outFile)).results.map((r) => jobKey(r.problem_id, r.mode, r.user_type)),
  );
  // Longest first: discovery episodes take several times as many calls as the single-call modes, and starting them
  // first keeps the last minutes of a run from waiting on a few long episodes while other slots sit idle (the
  // latency benchmark's efficiency went from 0.90 to 0.99).
  const todo = plan.jobs
    .filter((j) => !done.has(jobKey(j.record.problem_id, j.mode, j.userType)))
    .sort((a, b) => Number(b.mode === 'infer_persona') - Number(a.mode === 'infer_persona'));
  return { rejudged, todo };
}
