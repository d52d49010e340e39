import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_TASKS } from '../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { ModelCallError, type ModelProvider } from '../models/model-provider.ts';
import type { BatchProgress } from '../services/evaluation/batch-run.ts';
import type { Dimension } from './dimension.ts';
import { dedupeProposals } from './dimension-library.ts';
import { proposeDimensions } from './dimension-proposal.ts';
import type { GenerationContext } from './generation-call.ts';
import { StepFailure } from './generation-errors.ts';
import { generalAsDimensions, batchSnapshot, drawPlan, pairsOf, type Pair } from './generation-plan.ts';
import { appendRecord, readOutput, rewriteOutput } from './generation-output.ts';
import { changedSettings, GenerationStateError, readState, writeState, type GenerationState } from './generation-state.ts';
import { generateGeneralDimensions } from './general-dimensions.ts';
import { loadSource, type LoadedSource } from './load-source.ts';
import { generationMetadata, generationSettings, readLibraryFile, writeLibraryFile } from './run-files.ts';
import { generatePersona, readLibraryOrEmpty, savePersona } from './persona-generator.ts';
import { assembleRecord } from './record-assembly.ts';
import { asRecordPersona } from './generation-text.ts';
import { mapLimit } from './map-limit.ts';
import { rngFor, sampleWithoutReplacement } from './seeded.ts';

export interface GenerationRunOptions {
  /** Already merged with the command-line overrides. */
  config: GenerationConfig;
  /** Resolved paths. */
  sourceFile: string;
  personasDir: string;
  libraryFile: string | null;
  outDir: string;
  provider: ModelProvider;
  concurrency: number;
  /** Stop after this many new records (to try a config cheaply, or to test resumption). */
  maxPairs: number | null;
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  /** Called once the source is read, before any model call, so bad rows are reported up front. */
  onSource?: (source: LoadedSource, sampled: number, skippedRowsFile: string) => void;
  /** One-line notices for the person running it (personas generated, dedup warnings). */
  onNotice?: (text: string) => void;
}

export type StopReason = 'spend_cap' | 'interrupted' | 'limit' | 'personas_incomplete' | 'general_dimensions_failed';

export interface GenerationSummary extends BatchProgress {
  outFile: string;
  failuresFile: string;
  stateFile: string;
  skippedRowsFile: string;
  source: LoadedSource;
  sampled: number;
  personasGenerated: number;
  stopped: StopReason | null;
  stopMessage: string | null;
}

export class GenerationSetupError extends Error {
  override name = 'GenerationSetupError';
}

interface RunFiles {
  out: string;
  failures: string;
  state: string;
  skipped: string;
}

function filesFor(outDir: string, task: string): RunFiles {
  const base = join(outDir, `personalized_${task}`);
  return { out: `${base}.jsonl`, failures: `${base}_failures.jsonl`, state: `${base}_state.json`, skipped: `${base}_skipped_rows.jsonl` };
}

/**
 * Generates (or continues generating) `personalized_<task>.jsonl`: source rows → seeded sample → persona library
 * (optionally grown) → a persona plan per problem → general dimensions → batches of (problem, persona) pairs, each
 * batch proposing dimensions, de-duplicating them against the library as it stood after the previous batches,
 * instantiating preferences and writing rubrics. Records already in the output are skipped; a pair whose model output
 * never validates goes to the failures file with the reason and is retried by the next run. A spend cap or Ctrl-C
 * stops cleanly: finished records are kept and the state file lets the same command continue.
 */
export async function runGeneration(o: GenerationRunOptions): Promise<GenerationSummary> {
  const started = Date.now();
  const { config } = o;
  mkdirSync(o.outDir, { recursive: true });
  const files = filesFor(o.outDir, config.task);
  const notice = (text: string): void => o.onNotice?.(text);

  const source = await loadSource(o.sourceFile, config.source);
  writeFileSync(files.skipped, source.skipped.map((s) => `${JSON.stringify(s)}\n`).join(''));
  const settings = generationSettings(config, source.sha256);

  let state = readState(files.state);
  if (state === null && existsSync(files.out)) {
    throw new GenerationStateError(`${files.out} exists but ${files.state} does not; it was not made by this command or its state was lost. Use another --out directory`);
  }
  if (state !== null) {
    const changed = changedSettings(state.settings, settings);
    if (changed.length > 0) {
      throw new GenerationStateError(`${files.out} was started with different settings (${changed.join(', ')}); rerun with the same config and flags, or use another --out directory`);
    }
  }
  const fresh: GenerationState = state ?? {
    version: 1, settings, personasGenerated: [], plan: null, totalPersonasInLibrary: null, generalDimensions: null,
    baseLibrary: o.libraryFile ? readLibraryFile(o.libraryFile).map((d) => ({ ...d })) : [], models: [],
  };
  state = fresh;
  if (!state.models.includes(o.provider.config.name)) state.models.push(o.provider.config.name);
  writeState(files.state, state);

  const sampled = sampleWithoutReplacement(source.problems, config.sampleSize, rngFor(config.seed, 'sample'));
  o.onSource?.(source, sampled.length, files.skipped);
  if (source.problems.length === 0) throw new GenerationSetupError(`${o.sourceFile}: no usable rows (${source.skipped.length} skipped); nothing to generate`);
  const summary: GenerationSummary = {
    total: 0, done: 0, failed: 0, skipped: 0, running: 0, elapsedMs: 0, outFile: files.out, failuresFile: files.failures,
    stateFile: files.state, skippedRowsFile: files.skipped, source, sampled: sampled.length, personasGenerated: 0, stopped: null, stopMessage: null,
  };
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  const ctx: GenerationContext = { provider: o.provider, maxTries: config.maxTries, temperature: config.temperature, signal: controller.signal };
  const stop = (reason: StopReason, message: string): void => {
    if (summary.stopped === null) {
      summary.stopped = reason;
      summary.stopMessage = message;
    }
    controller.abort();
  };
  /** Failures of one pair or persona are recorded; a spend cap or cancellation stops the whole run. */
  const classify = (error: unknown, record: Record<string, unknown>): void => {
    if (error instanceof ModelCallError && (error.code === 'spend_cap' || error.code === 'aborted')) {
      if (error.code === 'spend_cap') stop('spend_cap', error.message);
      else stop('interrupted', 'interrupted');
      return;
    }
    if (controller.signal.aborted) return;
    const failure = error instanceof StepFailure
      ? { stage: error.stage, reason: error.message, issues: error.issues }
      : error instanceof ModelCallError ? { stage: 'model_call', reason: `${error.code}: ${error.message}`, issues: [] } : null;
    if (failure === null) throw error;
    appendFileSync(files.failures, `${JSON.stringify({ ...record, ...failure, model: o.provider.config.name, at: new Date().toISOString() })}\n`);
  };

  try {
    // Personas: grow the library first, one at a time (each new persona is pushed away from the ones before it).
    const library = await readLibraryOrEmpty(o.personasDir);
    const target = config.personas.generate;
    let failedPersonas = 0;
    while (state.plan === null && state.personasGenerated.length < target && failedPersonas < target - state.personasGenerated.length && !controller.signal.aborted) {
      const k = state.personasGenerated.length;
      try {
        const persona = await generatePersona(ctx, library, rngFor(config.seed, `persona:${k}:${failedPersonas}`));
        await savePersona(o.personasDir, persona);
        library.push(persona);
        state.personasGenerated.push(persona.id);
        writeState(files.state, state);
        summary.personasGenerated += 1;
        notice(`persona ${k + 1}/${target}: ${persona.name} (${persona.id}) added to ${o.personasDir}`);
      } catch (error) {
        classify(error, { persona_index: k });
        failedPersonas += 1;
      }
    }
    if (state.plan === null && state.personasGenerated.length < target && summary.stopped === null) {
      stop('personas_incomplete', `${state.personasGenerated.length} of ${target} personas generated (failures in ${files.failures}); rerun to try again`);
    }

    if (summary.stopped === null && state.plan === null) {
      if (library.length < config.personasPerProblem) {
        throw new GenerationSetupError(`${o.personasDir} has ${library.length} personas but personasPerProblem is ${config.personasPerProblem}; lower it or generate personas (personas.generate)`);
      }
      state.plan = drawPlan(sampled, library.map((p) => p.id), config.personasPerProblem, config.seed);
      state.totalPersonasInLibrary = library.length;
      writeState(files.state, state);
    }
    if (summary.stopped === null && state.generalDimensions === null) {
      try {
        state.generalDimensions = await generateGeneralDimensions(ctx, {
          dataset: config.dataset ?? `local/${config.task}`, count: config.preferences.generalDimensions,
          problems: sampled.map((s) => s.problem), rng: rngFor(config.seed, 'general'),
        });
        writeState(files.state, state);
      } catch (error) {
        classify(error, { stage_of: 'dataset' });
        stop('general_dimensions_failed', `the general dimensions could not be generated (see ${files.failures}); rerun to try again`);
      }
    }

    const plan = state.plan;
    const general = state.generalDimensions;
    if (plan !== null && general !== null && summary.stopped === null) {
      await runPairs(o, { state, plan, general, sampled, library, files, ctx, summary, started, classify, stop, controller });
    }
  } finally {
    o.signal.removeEventListener('abort', onAbort);
  }
  if (o.signal.aborted && summary.stopped === null) {
    summary.stopped = 'interrupted';
    summary.stopMessage = 'interrupted';
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

interface PairRun {
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

async function runPairs(o: GenerationRunOptions, r: PairRun): Promise<void> {
  const { config } = o;
  const { files, summary, ctx } = r;
  const personas = new Map(r.library.map((p) => [p.id, p]));
  const missing = r.plan.flatMap((p) => p.personaIds).filter((id) => !personas.has(id));
  if (missing.length > 0) throw new GenerationSetupError(`personas of this run are no longer in ${o.personasDir}: ${[...new Set(missing)].join(', ')}`);
  const pairs = pairsOf(r.plan, config.batchSize);
  const orderOf = new Map(pairs.map((p) => [p.problemId, p.order]));
  const records = new Map<string, BenchmarkRecord>();
  for (const record of readOutput(files.out).records) {
    if (!orderOf.has(record.problem_id)) throw new GenerationStateError(`${files.out}: record ${record.problem_id} is not in this run's plan; use another --out directory`);
    records.set(record.problem_id, record);
  }
  const metadata = (): Record<string, unknown> => generationMetadata(config, r.state, r.sampled.length, r.general);
  const sortedRecords = (): BenchmarkRecord[] => [...records.values()].sort((a, b) => (orderOf.get(a.problem_id) ?? 0) - (orderOf.get(b.problem_id) ?? 0));
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
    const problemOf = (pair: Pair) => r.sampled[pair.problemIndex] as { line: number; problem: Record<string, unknown> };
    const failureRecord = (pair: Pair) => ({ problem_id: pair.problemId, problem_index: pair.problemIndex, source_line: problemOf(pair).line, persona_id: pair.personaId });
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
          persona: asRecordPersona(personas.get(pair.personaId) as LibraryPersona), problem: problemOf(pair).problem, shape: config.source.shape,
          problemContext, count: config.preferences.dimensionsPerProblem, expertise: config.preferences.expertiseDimensions,
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
    const proposed = todo.map((pair, i) => ({ pair, dims: proposals[i] ?? null })).filter((p): p is { pair: Pair; dims: Dimension[] } => p.dims !== null);
    let resolved: Dimension[][];
    try {
      const dedup = await dedupeProposals(ctx, snapshot.library, proposed.map((p) => p.dims));
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
          pair, problem: problemOf(pair).problem, persona: personas.get(pair.personaId) as LibraryPersona, shape: config.source.shape,
          problemContext, dimensions: resolved[i] ?? [], general: generalDims, earlier: snapshot.history.of(pair.personaId), config,
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
