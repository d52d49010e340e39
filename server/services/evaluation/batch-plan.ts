import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { detectSourceTask, taskForDataset } from '../../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import { OUR_PROMPTS, type PromptSet } from '../../engine/prompt-library.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import { validateBenchmarkFile } from '../benchmark/validate-benchmark-file.ts';
import { selectImageRecords, type ImageSelection } from './batch-images.ts';
import {
  ImagesMismatchError,
  InvalidBenchmarkError,
  PromptPackMismatchError,
  ResultsFileError,
} from './batch-errors.ts';
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
  referenceQuirks: boolean;
  /** Only with a prompt pack, so the settings of a run with our own prompts keep their bytes. */
  promptPack?: { name: string; sha256: string };
  /** Only when on (`--share-baseline`), for the same reason. */
  shareBaseline?: true;
  /** Only when on (`--image`): the model under test was sent each record's image. */
  images?: true;
};

/** A run worked out from its spec before anything runs: what is benchmarked, with which settings, into which files. */
export interface BatchPlan {
  benchmarkFile: string;
  benchmark: PreparedBenchmark;
  settings: RecordedSettings;
  /** The prompts every episode of the run is asked with. */
  prompts: PromptSet;
  /** Every (record, mode, user type) of the run, in the reference's order. */
  jobs: Job[];
  /** `--image`: each planned record's image, and the records left out; null without `--image`. */
  images: ImageSelection | null;
  outFile: string;
  failuresFile: string;
  aggregateFile: string;
}

/** What an earlier run into the same results file left: re-judged lines, and the jobs still to run, in start order. */
export interface ResumeState {
  rejudged: number;
  todo: Job[];
}

/**
 * Validates a benchmark file in full. Strict: any error is an InvalidBenchmarkError. Otherwise, as the reference's
 * evaluator does, every record it could run is kept and the others are skipped with their reasons; only a file with
 * no runnable record at all is an InvalidBenchmarkError.
 */
async function readBenchmark(file: string, skipImages: boolean, strict: boolean): Promise<PreparedBenchmark> {
  const report = await validateBenchmarkFile(file, {
    collect: true,
    skipImages,
    tolerant: !strict,
    profileFloats: true,
  });
  if ((strict && !report.valid) || report.sha256 === null || report.records.length === 0)
    throw new InvalidBenchmarkError(report);
  const datasetTask = taskForDataset(report.metadata?.dataset);
  const floats = new Map(report.records.map((r, i) => [r, report.recordFloats[i]]));
  const lines = new Map(report.records.map((r, i) => [r, report.recordLines[i]]));
  return {
    records: report.records,
    sha256: report.sha256,
    taskOf: (r) => datasetTask ?? detectSourceTask(r.original_problem),
    skipped: report.skipped,
    floatsOf: (r) => floats.get(r),
    lineOf: (r) => lines.get(r),
  };
}

/** The records named by `problemIds`, in the benchmark's order (ids naming no record are ignored). */
function onlyProblems(records: BenchmarkRecord[], problemIds: readonly string[]): BenchmarkRecord[] {
  const wanted = new Set(problemIds);
  return records.filter((r) => wanted.has(r.problem_id));
}

/** Phase 1: the benchmark (read and validated unless prepared), the seeded sample and shard, and the job list. */
export async function planBatch(spec: BatchSpec): Promise<BatchPlan> {
  const benchmark = spec.prepared ?? (await readBenchmark(spec.benchmarkFile, spec.skipImages, spec.strict === true));
  const selected = spec.problemIds ? onlyProblems(benchmark.records, spec.problemIds) : benchmark.records;
  const sampled = shardOf(sampleRecords(selected, spec.maxProblems, spec.seed), spec.shard);
  const images = spec.images ? await selectImageRecords(sampled, dirname(resolve(spec.benchmarkFile))) : null;
  const records = images ? sampled.filter((r) => images.files.has(r)) : sampled;
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
      referenceQuirks: spec.referenceQuirks,
      ...(spec.prompts?.pack ? { promptPack: spec.prompts.pack } : {}),
      ...(spec.shareBaseline ? { shareBaseline: true as const } : {}),
      ...(spec.images ? { images: true as const } : {}),
    },
    prompts: spec.prompts ?? OUR_PROMPTS,
    jobs: planJobs(records, spec.modes, spec.userTypes),
    images,
    outFile: spec.outFile,
    failuresFile: companionPath(spec.outFile, 'failures'),
    aggregateFile: companionPath(spec.outFile, 'aggregate'),
  };
}

function describePack(pack: { name: string; sha256: string } | null): string {
  return pack ? `prompt pack ${pack.name} (sha256 ${pack.sha256.slice(0, 12)}…)` : 'our own prompts';
}

/**
 * Lines we wrote say which prompt pack they were asked with (`prefdisco_live.prompt_pack`; absent before packs
 * existed: ours). A resume must use the same, or one file would hold answers to two prompt sets. Lines without our
 * extras (the reference's) say nothing and are not checked.
 */
function checkSamePromptPack(plan: BatchPlan, results: readonly object[]): void {
  const wanted = plan.prompts.pack;
  const differing = results.flatMap((r) => {
    const extras = (r as { prefdisco_live?: { prompt_pack?: { name: string; sha256: string } | null } }).prefdisco_live;
    if (extras === undefined) return [];
    const recorded = extras.prompt_pack ?? null;
    return (recorded?.sha256 ?? null) === (wanted?.sha256 ?? null) ? [] : [recorded];
  });
  const first = differing[0];
  if (first !== undefined)
    throw new PromptPackMismatchError(plan.outFile, differing.length, describePack(first), describePack(wanted));
}

/**
 * Lines we wrote say whether images were sent (`prefdisco_live.options.images`, only when they were); a resume must
 * do the same. The reference's lines say nothing and are not checked.
 */
function checkSameImages(plan: BatchPlan, results: readonly object[]): void {
  const wanted = plan.settings.images === true;
  const differing = results.filter((r) => {
    const extras = (r as { prefdisco_live?: { options?: { images?: unknown } } }).prefdisco_live;
    return extras !== undefined && (extras.options?.images === true) !== wanted;
  });
  if (differing.length > 0) throw new ImagesMismatchError(plan.outFile, differing.length, wanted);
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
  checkSamePromptPack(plan, existing.results);
  checkSameImages(plan, existing.results);
  const rejudged = await rejudgeMissingCorrectness(plan.outFile, existing, plan.benchmark.records, judge, signal, {
    reference: plan.settings.referenceQuirks,
    prompts: plan.prompts,
  });
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
