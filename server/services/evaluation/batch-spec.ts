import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { Storage } from '../../storage/storage.ts';
import type { EvaluationModels } from './episode-setup.ts';
import type { Shard } from './job-plan.ts';
import type { RunProgress } from '../../../shared/schemas/research.ts';

/** Records already validated and stored (a study's), run instead of reading a file. */
export interface PreparedBenchmark {
  records: BenchmarkRecord[];
  sha256: string;
  taskOf(record: BenchmarkRecord): string;
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
  maxProblems: number | null;
  seed: number;
  shard: Shard | null;
  concurrency: number;
  reference: { missingScoreAsOne: boolean; correctnessTemperature: boolean };
  skipImages: boolean;
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
  runId: string | null;
  outFile: string;
  aggregateFile: string | null;
  failuresFile: string;
}
