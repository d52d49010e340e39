import { problemContextFor } from '../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import type { GeneralDimension } from '../../shared/schemas/preference.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { ConcurrencyLimit } from '../models/concurrency-limit.ts';
import { ModelCallError } from '../models/model-provider.ts';
import type { ProgressCounter } from '../services/evaluation/progress-counter.ts';
import type { Dimension } from './dimension.ts';
import { dedupeProposals } from './dimension-library.ts';
import { proposeDimensions } from './dimension-proposal.ts';
import type { GenerationContext } from './generation-call.ts';
import { batchSnapshot, generalAsDimensions, type Pair } from './generation-plan.ts';
import type { GenerationState, PlannedProblem } from './generation-state.ts';
import { asRecordPersona } from './generation-text.ts';
import type { SourceProblem } from './load-source.ts';
import { appendRecord } from './generation-output.ts';
import { assembleRecord } from './record-assembly.ts';
import type { RunControl } from './run-control.ts';
import type { RunFiles } from './run-files.ts';

/** The records phase's inputs: what the earlier phases settled, as values. */
export interface PairsInput {
  config: GenerationConfig;
  state: GenerationState;
  plan: PlannedProblem[];
  general: Record<string, GeneralDimension>;
  sampled: SourceProblem[];
  /** The persona library after the personas phase; every persona the plan names must be in it. */
  library: LibraryPersona[];
  personasDir: string;
  libraryFile: string | null;
  files: RunFiles;
  concurrency: number;
  /** Stop after this many new records. */
  maxPairs: number | null;
}

/** What the records phase works with: model calls, the run's stop and failure record, its counters and notices. */
export interface PairsDeps {
  ctx: GenerationContext;
  control: RunControl;
  progress: ProgressCounter;
  notice: (text: string) => void;
}

/** One batch's pairs with everything their steps read. */
export interface BatchWork {
  batch: number;
  todo: Pair[];
  snapshot: ReturnType<typeof batchSnapshot>;
}

/** The three steps of a batch: propose dimensions per pair, de-duplicate them together, assemble each record. */
export class BatchSteps {
  readonly #limit: ConcurrencyLimit;
  readonly #generalDims: Dimension[];
  readonly #problemContext: string;

  constructor(
    private readonly input: PairsInput,
    private readonly deps: PairsDeps,
    private readonly personas: Map<string, LibraryPersona>,
    private readonly records: Map<string, BenchmarkRecord>,
  ) {
    this.#limit = new ConcurrencyLimit(Math.max(1, input.concurrency));
    this.#generalDims = generalAsDimensions(input.general);
    this.#problemContext = problemContextFor(input.config.source.shape, input.config.dataset);
  }

  /** Returns false when the run was stopped during the batch (nothing more should start). */
  async run(work: BatchWork): Promise<boolean> {
    const proposals = await this.#each(work.todo, null, (pair) => this.#propose(pair));
    if (this.deps.control.signal.aborted) return false;
    const proposed = work.todo
      .map((pair, i) => ({ pair, dims: proposals[i] ?? null }))
      .filter((p): p is { pair: Pair; dims: Dimension[] } => p.dims !== null);
    let resolved: Dimension[][];
    try {
      const dedup = await dedupeProposals(
        this.deps.ctx,
        work.snapshot.library,
        proposed.map((p) => p.dims),
      );
      for (const w of dedup.warnings) this.deps.notice(`batch ${work.batch + 1}: ${w}`);
      resolved = dedup.resolved;
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      for (const p of proposed) if (this.#fail(p.pair, error)) this.deps.progress.count('failed');
      return true;
    }
    const pairs = proposed.map((p) => p.pair);
    await this.#each(pairs, 'done', async (pair, i) => {
      const record = await this.#assemble(pair, resolved[i] ?? [], work);
      appendRecord(this.input.files.out, record);
      this.records.set(record.problem_id, record);
    });
    return true;
  }

  /**
   * `step` for each pair within the concurrency limit, counted as running meanwhile and then as `success` (or as
   * failed). A pair whose step fails is recorded and gives null; one not started (the run stopped) gives undefined.
   */
  #each<R>(
    pairs: Pair[],
    success: 'done' | null,
    step: (pair: Pair, index: number) => Promise<R>,
  ): Promise<(R | null | undefined)[]> {
    const { control, progress } = this.deps;
    return this.#limit.map(pairs, control.signal, async (pair, index) => {
      progress.started();
      let outcome: 'done' | 'failed' | null = null;
      try {
        const result = await step(pair, index);
        outcome = success;
        return result;
      } catch (error) {
        if (this.#fail(pair, error)) outcome = 'failed';
        return null;
      } finally {
        progress.ended(outcome);
      }
    });
  }

  #propose(pair: Pair): Promise<Dimension[]> {
    const { config } = this.input;
    return proposeDimensions(this.deps.ctx, {
      persona: asRecordPersona(this.#persona(pair)),
      problem: this.#problemOf(pair).problem,
      shape: config.source.shape,
      problemContext: this.#problemContext,
      count: config.preferences.dimensionsPerProblem,
      expertise: config.preferences.expertiseDimensions,
    });
  }

  #assemble(pair: Pair, dimensions: Dimension[], work: BatchWork): Promise<BenchmarkRecord> {
    const { config } = this.input;
    return assembleRecord(this.deps.ctx, {
      pair,
      problem: this.#problemOf(pair).problem,
      persona: this.#persona(pair),
      shape: config.source.shape,
      problemContext: this.#problemContext,
      dimensions,
      general: this.#generalDims,
      earlier: work.snapshot.history.of(pair.personaId),
      config,
    });
  }

  /** Records the failure of a pair; true when it was written (not a stop of the whole run). */
  #fail(pair: Pair, error: unknown): boolean {
    return this.deps.control.fail(error, {
      problem_id: pair.problemId,
      problem_index: pair.problemIndex,
      source_line: this.#problemOf(pair).line,
      persona_id: pair.personaId,
    });
  }

  #persona(pair: Pair): LibraryPersona {
    return this.personas.get(pair.personaId) as LibraryPersona;
  }

  #problemOf(pair: Pair): SourceProblem {
    return this.input.sampled[pair.problemIndex] as SourceProblem;
  }
}
