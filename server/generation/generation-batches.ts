import { SOURCE_TASKS } from '../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { ModelCallError } from '../models/model-provider.ts';
import type { Dimension } from './dimension.ts';
import { dedupeProposals } from './dimension-library.ts';
import { proposeDimensions } from './dimension-proposal.ts';
import type { GenerationContext } from './generation-call.ts';
import { GenerationSetupError } from './generation-errors.ts';
import { appendRecord, readOutput, rewriteOutput } from './generation-output.ts';
import { batchSnapshot, generalAsDimensions, pairsOf, type Pair } from './generation-plan.ts';
import type { GenerationRunOptions, GenerationSummary, StopReason } from './generation-run.ts';
import { GenerationStateError, type GenerationState } from './generation-state.ts';
import { asRecordPersona } from './generation-text.ts';
import { mapLimit } from './map-limit.ts';
import { assembleRecord } from './record-assembly.ts';
import { generationMetadata, writeLibraryFile, type RunFiles } from './run-files.ts';

export interface PairRun {
  state: GenerationState;
  plan: NonNullable<GenerationState['plan']>;
  general: NonNullable<GenerationState['generalDimensions']>;
  sampled: { line: number; problem: Record<string, unknown> }[];
  library: LibraryPersona[];
  files: RunFiles;
  ctx: GenerationContext;
  summary: GenerationSummary;
  started: number;
  classify: (error: unknown, record: Record<string, unknown>) => void;
  stop: (reason: StopReason, message: string) => void;
  controller: AbortController;
}

/**
 * The (problem, persona) pairs of a run, batch by batch: each batch proposes dimensions, de-duplicates them against the
 * library as it stood after the earlier batches, and assembles its records. The output file is rewritten in plan order
 * at the start and end, so it does not depend on concurrency or on where an earlier run stopped.
 */

export async function runPairs(o: GenerationRunOptions, r: PairRun): Promise<void> {
  const { config } = o;
  const { files, summary, ctx } = r;
  const personas = new Map(r.library.map((p) => [p.id, p]));
  const missing = r.plan.flatMap((p) => p.personaIds).filter((id) => !personas.has(id));
  if (missing.length > 0)
    throw new GenerationSetupError(
      `personas of this run are no longer in ${o.personasDir}: ${[...new Set(missing)].join(', ')}`,
    );
  const pairs = pairsOf(r.plan, config.batchSize);
  const orderOf = new Map(pairs.map((p) => [p.problemId, p.order]));
  const records = new Map<string, BenchmarkRecord>();
  for (const record of readOutput(files.out).records) {
    if (!orderOf.has(record.problem_id))
      throw new GenerationStateError(
        `${files.out}: record ${record.problem_id} is not in this run's plan; use another --out directory`,
      );
    records.set(record.problem_id, record);
  }
  const metadata = (): Record<string, unknown> => generationMetadata(config, r.state, r.sampled.length, r.general);
  const sortedRecords = (): BenchmarkRecord[] =>
    [...records.values()].sort((a, b) => (orderOf.get(a.problem_id) ?? 0) - (orderOf.get(b.problem_id) ?? 0));
  rewriteOutput(files.out, metadata(), sortedRecords());

  summary.total = pairs.length;
  summary.skipped = records.size;
  const tick = (): void => o.onProgress?.({ ...summary, elapsedMs: Date.now() - r.started });
  tick();
  const generalDims = generalAsDimensions(r.general);
  const problemContext = SOURCE_TASKS[config.source.shape].problemContext;
  let budget = o.maxPairs ?? Infinity;
  const batchCount = pairs.length === 0 ? 0 : (pairs[pairs.length - 1] as Pair).batch + 1;

  for (let batch = 0; batch < batchCount && summary.stopped === null; batch++) {
    let todo = pairs.filter((p) => p.batch === batch && !records.has(p.problemId));
    if (todo.length === 0) continue;
    if (budget <= 0) {
      r.stop('limit', `stopped after ${o.maxPairs} new records (--max-pairs); rerun without it to continue`);
      break;
    }
    todo = todo.slice(0, budget);
    budget -= todo.length;
    const snapshot = batchSnapshot(batch, records, pairs, { library: r.state.baseLibrary, general: r.general });
    const problemOf = (pair: Pair) =>
      r.sampled[pair.problemIndex] as { line: number; problem: Record<string, unknown> };
    const failureRecord = (pair: Pair) => ({
      problem_id: pair.problemId,
      problem_index: pair.problemIndex,
      source_line: problemOf(pair).line,
      persona_id: pair.personaId,
    });
    const fail = (pair: Pair, error: unknown): void => {
      const before = r.controller.signal.aborted;
      r.classify(error, failureRecord(pair));
      if (!before && !r.controller.signal.aborted) summary.failed += 1;
    };

    const proposals = await mapLimit(todo, o.concurrency, r.controller.signal, async (pair) => {
      summary.running += 1;
      tick();
      try {
        return await proposeDimensions(ctx, {
          persona: asRecordPersona(personas.get(pair.personaId) as LibraryPersona),
          problem: problemOf(pair).problem,
          shape: config.source.shape,
          problemContext,
          count: config.preferences.dimensionsPerProblem,
          expertise: config.preferences.expertiseDimensions,
        });
      } catch (error) {
        fail(pair, error);
        return null;
      } finally {
        summary.running -= 1;
        tick();
      }
    });
    if (r.controller.signal.aborted) break;
    const proposed = todo
      .map((pair, i) => ({ pair, dims: proposals[i] ?? null }))
      .filter((p): p is { pair: Pair; dims: Dimension[] } => p.dims !== null);
    let resolved: Dimension[][];
    try {
      const dedup = await dedupeProposals(
        ctx,
        snapshot.library,
        proposed.map((p) => p.dims),
      );
      for (const w of dedup.warnings) o.onNotice?.(`batch ${batch + 1}: ${w}`);
      resolved = dedup.resolved;
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      for (const p of proposed) fail(p.pair, error);
      continue;
    }

    await mapLimit(proposed, o.concurrency, r.controller.signal, async ({ pair }, i) => {
      summary.running += 1;
      tick();
      try {
        const record = await assembleRecord(ctx, {
          pair,
          problem: problemOf(pair).problem,
          persona: personas.get(pair.personaId) as LibraryPersona,
          shape: config.source.shape,
          problemContext,
          dimensions: resolved[i] ?? [],
          general: generalDims,
          earlier: snapshot.history.of(pair.personaId),
          config,
        });
        appendRecord(files.out, record);
        records.set(record.problem_id, record);
        summary.done += 1;
      } catch (error) {
        fail(pair, error);
      } finally {
        summary.running -= 1;
        tick();
      }
    });
  }
  if (o.signal.aborted) r.stop('interrupted', 'interrupted');
  rewriteOutput(files.out, metadata(), sortedRecords());
  if (o.libraryFile) writeLibraryFile(o.libraryFile, r.state.baseLibrary, generalDims, sortedRecords());
  tick();
}
