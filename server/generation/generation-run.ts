import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import type { ModelProvider } from '../models/model-provider.ts';
import type { BatchProgress } from '../services/evaluation/batch-spec.ts';
import { ProgressCounter } from '../services/evaluation/progress-counter.ts';
import { runPairs } from './generation-batches.ts';
import { GenerationSetupError } from './generation-errors.ts';
import type { GenerationPromptSet } from './generation-prompts.ts';
import { drawPlanOnce, generalDimensionsOnce, growPersonas, type SetupInput } from './generation-setup.ts';
import {
  changedSettings,
  checkSamePromptPack,
  GenerationStateError,
  readState,
  writeState,
  type GenerationState,
} from './generation-state.ts';
import { loadSource, type LoadedSource } from './load-source.ts';
import { readLibraryOrEmpty } from './persona-generator.ts';
import { RunControl, type StopReason } from './run-control.ts';
import { filesFor, generationSettings, readLibraryFile, type RunFiles } from './run-files.ts';
import { rngFor, sampleWithoutReplacement } from './seeded.ts';

export type { StopReason } from './run-control.ts';

/** What a generation run makes, and from what: plain values, the same on a rerun that continues it. */
export interface GenerationSpec {
  /** Already merged with the command-line overrides. */
  config: GenerationConfig;
  /** Resolved paths. */
  sourceFile: string;
  personasDir: string;
  libraryFile: string | null;
  outDir: string;
  concurrency: number;
  /** Stop after this many new records (to try a config cheaply, or to test resumption). */
  maxPairs: number | null;
  /** `--prompts DIR`: a prompt pack's generation prompts; ours when absent. */
  prompts?: GenerationPromptSet;
}

/** What a generation run works with: the model, when to stop, and who is told what happens. */
export interface GenerationDeps {
  provider: ModelProvider;
  signal: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  /** Called once the source is read, before any model call, so bad rows are reported up front. */
  onSource?: (source: LoadedSource, sampled: number, skippedRowsFile: string) => void;
  /** One-line notices for the person running it (personas generated, dedup warnings). */
  onNotice?: (text: string) => void;
}

export type GenerationRunOptions = GenerationSpec & GenerationDeps;

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
export async function runGeneration(options: GenerationRunOptions): Promise<GenerationSummary> {
  const { provider, signal, onProgress, onSource, onNotice, ...spec } = options;
  const { config } = spec;
  const progress = new ProgressCounter(onProgress);
  const { files, source, state } = await openRun(spec, provider.config.name);
  const sampled = sampleWithoutReplacement(source.problems, config.sampleSize, rngFor(config.seed, 'sample'));
  onSource?.(source, sampled.length, files.skipped);
  if (source.problems.length === 0)
    throw new GenerationSetupError(
      `${spec.sourceFile}: no usable rows (${source.skipped.length} skipped); nothing to generate`,
    );

  const control = new RunControl(signal, files.failures, provider.config.name);
  const ctx = {
    provider,
    maxTries: config.maxTries,
    temperature: config.temperature,
    signal: control.signal,
    ...(spec.prompts ? { prompts: spec.prompts } : {}),
  };
  const notice = (text: string): void => onNotice?.(text);
  let personasGenerated = 0;
  try {
    const library = await readLibraryOrEmpty(spec.personasDir);
    const setup: SetupInput = { config, state, files, personasDir: spec.personasDir, sampled, library };
    personasGenerated = await growPersonas(setup, { ctx, control, notice });
    drawPlanOnce(setup, control);
    await generalDimensionsOnce(setup, { ctx, control, notice });
    const { plan, generalDimensions: general } = state;
    if (plan !== null && general !== null && control.stopped === null) {
      await runPairs(
        {
          ...setup,
          plan,
          general,
          libraryFile: spec.libraryFile,
          concurrency: spec.concurrency,
          maxPairs: spec.maxPairs,
        },
        { ctx, control, progress, notice },
      );
    }
  } finally {
    control.dispose();
  }
  control.settle();
  return {
    ...progress.snapshot(),
    outFile: files.out,
    failuresFile: files.failures,
    stateFile: files.state,
    skippedRowsFile: files.skipped,
    source,
    sampled: sampled.length,
    personasGenerated,
    stopped: control.stopped?.reason ?? null,
    stopMessage: control.stopped?.message ?? null,
  };
}

/**
 * The first phase: reads the source (reporting skipped rows to their file) and the saved state, refusing an output
 * this command did not make or one started with other settings, and records this run's model in the state.
 */
async function openRun(
  spec: GenerationSpec,
  model: string,
): Promise<{ files: RunFiles; source: LoadedSource; state: GenerationState }> {
  const { config } = spec;
  mkdirSync(spec.outDir, { recursive: true });
  const files = filesFor(spec.outDir, config.task);
  const source = await loadSource(spec.sourceFile, config.source);
  writeFileSync(files.skipped, source.skipped.map((s) => `${JSON.stringify(s)}\n`).join(''));
  const settings = generationSettings(config, source.sha256);

  const saved = readState(files.state);
  if (saved === null && existsSync(files.out)) {
    throw new GenerationStateError(
      `${files.out} exists but ${files.state} does not; it was not made by this command or its state was lost. Use another --out directory`,
    );
  }
  const pack = spec.prompts?.pack ?? null;
  const promptPack = pack ? { name: pack.name, sha256: pack.sha256 } : null;
  if (saved !== null) {
    const changed = changedSettings(saved.settings, settings);
    if (changed.length > 0) {
      throw new GenerationStateError(
        `${files.out} was started with different settings (${changed.join(', ')}); rerun with the same config and flags, or use another --out directory`,
      );
    }
    checkSamePromptPack(files.out, saved, promptPack);
  }
  const state: GenerationState = saved ?? {
    version: 1,
    settings,
    personasGenerated: [],
    plan: null,
    totalPersonasInLibrary: null,
    generalDimensions: null,
    baseLibrary: spec.libraryFile ? readLibraryFile(spec.libraryFile).map((d) => ({ ...d })) : [],
    models: [],
    promptPack,
  };
  state.promptPack = promptPack;
  if (!state.models.includes(model)) state.models.push(model);
  writeState(files.state, state);
  return { files, source, state };
}
