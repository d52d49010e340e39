import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import type { Storage } from '../../storage/storage.ts';
import type { SkippedLine } from '../benchmark/validation-report.ts';
import type { EvaluationModels } from './episode-setup.ts';
import type { Shard } from './job-plan.ts';
import type { RunProgress } from '../../../shared/schemas/research.ts';

/** Records already validated and stored (a study's), run instead of reading a file. */
export interface PreparedBenchmark {
  records: BenchmarkRecord[];
  sha256: string;
  taskOf(record: BenchmarkRecord): string;
  /** Lines of the file left out of the run, with why (a tolerant reading of a file with errors). */
  skipped?: SkippedLine[];
  /** The whole numbers a record's line wrote as floats in its persona and preferences, so its profile prints `4.0`. */
  floatsOf?: (record: BenchmarkRecord) => ReadonlySet<string> | undefined;
  /** The record's line in the file, when read from one. */
  lineOf?: (record: BenchmarkRecord) => number | undefined;
}

/** What a batch run is: plain values, the same on a rerun that resumes it. */
export interface BatchSpec {
  /** The benchmark file to validate and run; with `prepared`, only a label recorded with the run. */
  benchmarkFile: string;
  prepared?: PreparedBenchmark;
  /** An existing run for the episodes to refer to (the server creates it first, to answer with its id at once). */
  runId?: string;
  outFile: string;
  modes: Mode[];
  /** Simulated user types for infer_persona (one discovery episode per type). */
  userTypes: UserType[];
  maxTurns: number;
  fixedQuestions: number | null;
  /**
   * Only the records with these problem ids (a live study's selection); absent or null: every record. Applied before
   * `maxProblems` samples, so a sample is drawn from the selection.
   */
  problemIds?: readonly string[] | null;
  maxProblems: number | null;
  seed: number;
  shard: Shard | null;
  concurrency: number;
  /** `--reference-quirks`: the reference's judge, simulator and re-judging behaviour (docs/engine.md). */
  referenceQuirks: boolean;
  skipImages: boolean;
  /**
   * `--image`: send each record's image to the model under test with the opening message, and leave out records
   * without one (batch-images.ts). Images are looked up next to `benchmarkFile`.
   */
  images?: boolean;
  /**
   * `--strict`: refuse a file with any validation error. Otherwise every record the reference's evaluator could run
   * is run, and the lines it could not are written to the failures file with their reasons.
   */
  strict?: boolean;
  /** `--prompts DIR`: a loaded prompt pack (docs/prompt-packs.md); ours when absent. */
  prompts?: PromptSet;
  /**
   * `--share-baseline`: one baseline (no_prompt) answer per problem, shared by its personas, as the reference's
   * response cache makes it (shared-baseline.ts, docs/metrics.md).
   */
  shareBaseline?: boolean;
}

/** What a batch run works with: the models, where episodes are stored, when to stop, who watches the progress. */
export interface BatchDeps {
  models: EvaluationModels;
  storage: Storage | null;
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
}

export type BatchRunOptions = BatchSpec & BatchDeps;

/** A run's counts as the researcher API reports them (RunProgress), without the token and cost meter. */
export type BatchProgress = Pick<RunProgress, 'total' | 'done' | 'failed' | 'skipped' | 'running' | 'elapsedMs'>;

export interface BatchSummary extends BatchProgress {
  interrupted: boolean;
  rejudged: number;
  /** Lines of the benchmark file the run could not evaluate (listed in the failures file). */
  invalidRecords: number;
  /** `--image`: records left out because they have no usable image (listed in the failures file). */
  imageSkipped: number;
  runId: string | null;
  outFile: string;
  aggregateFile: string | null;
  failuresFile: string;
}
