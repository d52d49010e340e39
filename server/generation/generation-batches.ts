import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { GenerationSetupError } from './generation-errors.ts';
import { readOutput, rewriteOutput } from './generation-output.ts';
import { batchSnapshot, generalAsDimensions, pairsOf, type Pair } from './generation-plan.ts';
import { GenerationStateError } from './generation-state.ts';
import { BatchSteps, type PairsDeps, type PairsInput } from './pair-steps.ts';
import { generationMetadata, writeLibraryFile } from './run-files.ts';

/**
 * The (problem, persona) pairs of a run, batch by batch: each batch proposes dimensions, de-duplicates them against the
 * library as it stood after the earlier batches, and assembles its records. The output file is rewritten in plan order
 * at the start and end, so it does not depend on concurrency or on where an earlier run stopped.
 */
export async function runPairs(input: PairsInput, deps: PairsDeps): Promise<void> {
  const { config, files } = input;
  const personas = new Map(input.library.map((p) => [p.id, p]));
  const missing = input.plan.flatMap((p) => p.personaIds).filter((id) => !personas.has(id));
  if (missing.length > 0)
    throw new GenerationSetupError(
      `personas of this run are no longer in ${input.personasDir}: ${[...new Set(missing)].join(', ')}`,
    );
  const pairs = pairsOf(input.plan, config.batchSize);
  const records = readDoneRecords(files.out, pairs);
  const metadata = (): Record<string, unknown> =>
    generationMetadata(config, input.state, input.sampled.length, input.general, deps.ctx.prompts);
  const orderOf = new Map(pairs.map((p) => [p.problemId, p.order]));
  const sortedRecords = (): BenchmarkRecord[] =>
    [...records.values()].sort((a, b) => (orderOf.get(a.problem_id) ?? 0) - (orderOf.get(b.problem_id) ?? 0));
  rewriteOutput(files.out, metadata(), sortedRecords());

  deps.progress.begin(pairs.length, records.size);
  const steps = new BatchSteps(input, deps, personas, records);
  let budget = input.maxPairs ?? Infinity;
  const batchCount = pairs.length === 0 ? 0 : (pairs[pairs.length - 1] as Pair).batch + 1;
  for (let batch = 0; batch < batchCount && deps.control.stopped === null; batch++) {
    const todo = pairs.filter((p) => p.batch === batch && !records.has(p.problemId));
    if (todo.length === 0) continue;
    if (budget <= 0) {
      deps.control.stop(
        'limit',
        `stopped after ${input.maxPairs} new records (--max-pairs); rerun without it to continue`,
      );
      break;
    }
    const taken = todo.slice(0, budget);
    budget -= taken.length;
    const snapshot = batchSnapshot(batch, records, pairs, { library: input.state.baseLibrary, general: input.general });
    const finished = await steps.run({ batch, todo: taken, snapshot });
    if (!finished) break;
  }
  deps.control.settle();
  rewriteOutput(files.out, metadata(), sortedRecords());
  if (input.libraryFile)
    writeLibraryFile(input.libraryFile, input.state.baseLibrary, generalAsDimensions(input.general), sortedRecords());
  deps.progress.report();
}

/** The records already in the output, which must all belong to this run's plan. */
function readDoneRecords(out: string, pairs: Pair[]): Map<string, BenchmarkRecord> {
  const planned = new Set(pairs.map((p) => p.problemId));
  const records = new Map<string, BenchmarkRecord>();
  for (const record of readOutput(out).records) {
    if (!planned.has(record.problem_id))
      throw new GenerationStateError(
        `${out}: record ${record.problem_id} is not in this run's plan; use another --out directory`,
      );
    records.set(record.problem_id, record);
  }
  return records;
}
