import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import { ModelCallError, type ModelProvider } from '../models/model-provider.ts';
import type { BatchProgress } from '../services/evaluation/batch-run.ts';
import type { GenerationContext } from './generation-call.ts';
import { GenerationSetupError, StepFailure } from './generation-errors.ts';
import { runPairs } from './generation-batches.ts';
import { drawPlan } from './generation-plan.ts';
import {
  changedSettings,
  GenerationStateError,
  readState,
  writeState,
  type GenerationState,
} from './generation-state.ts';
import { generateGeneralDimensions } from './general-dimensions.ts';
import { loadSource, type LoadedSource } from './load-source.ts';
import { filesFor, generationSettings, readLibraryFile } from './run-files.ts';
import { generatePersona, readLibraryOrEmpty, savePersona } from './persona-generator.ts';
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
    throw new GenerationStateError(
      `${files.out} exists but ${files.state} does not; it was not made by this command or its state was lost. Use another --out directory`,
    );
  }
  if (state !== null) {
    const changed = changedSettings(state.settings, settings);
    if (changed.length > 0) {
      throw new GenerationStateError(
        `${files.out} was started with different settings (${changed.join(', ')}); rerun with the same config and flags, or use another --out directory`,
      );
    }
  }
  const fresh: GenerationState = state ?? {
    version: 1,
    settings,
    personasGenerated: [],
    plan: null,
    totalPersonasInLibrary: null,
    generalDimensions: null,
    baseLibrary: o.libraryFile ? readLibraryFile(o.libraryFile).map((d) => ({ ...d })) : [],
    models: [],
  };
  state = fresh;
  if (!state.models.includes(o.provider.config.name)) state.models.push(o.provider.config.name);
  writeState(files.state, state);

  const sampled = sampleWithoutReplacement(source.problems, config.sampleSize, rngFor(config.seed, 'sample'));
  o.onSource?.(source, sampled.length, files.skipped);
  if (source.problems.length === 0)
    throw new GenerationSetupError(
      `${o.sourceFile}: no usable rows (${source.skipped.length} skipped); nothing to generate`,
    );
  const summary: GenerationSummary = {
    total: 0,
    done: 0,
    failed: 0,
    skipped: 0,
    running: 0,
    elapsedMs: 0,
    outFile: files.out,
    failuresFile: files.failures,
    stateFile: files.state,
    skippedRowsFile: files.skipped,
    source,
    sampled: sampled.length,
    personasGenerated: 0,
    stopped: null,
    stopMessage: null,
  };
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  o.signal.addEventListener('abort', onAbort, { once: true });
  const ctx: GenerationContext = {
    provider: o.provider,
    maxTries: config.maxTries,
    temperature: config.temperature,
    signal: controller.signal,
  };
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
    const failure =
      error instanceof StepFailure
        ? { stage: error.stage, reason: error.message, issues: error.issues }
        : error instanceof ModelCallError
          ? { stage: 'model_call', reason: `${error.code}: ${error.message}`, issues: [] }
          : null;
    if (failure === null) throw error;
    appendFileSync(
      files.failures,
      `${JSON.stringify({ ...record, ...failure, model: o.provider.config.name, at: new Date().toISOString() })}\n`,
    );
  };

  try {
    // Personas: grow the library first, one at a time (each new persona is pushed away from the ones before it).
    const library = await readLibraryOrEmpty(o.personasDir);
    const target = config.personas.generate;
    let failedPersonas = 0;
    while (
      state.plan === null &&
      state.personasGenerated.length < target &&
      failedPersonas < target - state.personasGenerated.length &&
      !controller.signal.aborted
    ) {
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
      stop(
        'personas_incomplete',
        `${state.personasGenerated.length} of ${target} personas generated (failures in ${files.failures}); rerun to try again`,
      );
    }

    if (summary.stopped === null && state.plan === null) {
      if (library.length < config.personasPerProblem) {
        throw new GenerationSetupError(
          `${o.personasDir} has ${library.length} personas but personasPerProblem is ${config.personasPerProblem}; lower it or generate personas (personas.generate)`,
        );
      }
      state.plan = drawPlan(
        sampled,
        library.map((p) => p.id),
        config.personasPerProblem,
        config.seed,
      );
      state.totalPersonasInLibrary = library.length;
      writeState(files.state, state);
    }
    if (summary.stopped === null && state.generalDimensions === null) {
      try {
        state.generalDimensions = await generateGeneralDimensions(ctx, {
          dataset: config.dataset ?? `local/${config.task}`,
          count: config.preferences.generalDimensions,
          problems: sampled.map((s) => s.problem),
          rng: rngFor(config.seed, 'general'),
        });
        writeState(files.state, state);
      } catch (error) {
        classify(error, { stage_of: 'dataset' });
        stop(
          'general_dimensions_failed',
          `the general dimensions could not be generated (see ${files.failures}); rerun to try again`,
        );
      }
    }

    const plan = state.plan;
    const general = state.generalDimensions;
    if (plan !== null && general !== null && summary.stopped === null) {
      await runPairs(o, {
        state,
        plan,
        general,
        sampled,
        library,
        files,
        ctx,
        summary,
        started,
        classify,
        stop,
        controller,
      });
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
