import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import { loadConfig, secretFromEnv } from '../config.ts';
import { GenerationSetupError } from '../generation/generation-errors.ts';
import { runGeneration, type GenerationSummary } from '../generation/generation-run.ts';
import { GenerationStateError } from '../generation/generation-state.ts';
import { OutputFileError } from '../generation/generation-output.ts';
import { SourceFileError, type LoadedSource } from '../generation/load-source.ts';
import { GenerationConfigError, loadGenerationConfig } from '../generation/load-config.ts';
import { MeteredProvider } from '../models/metered-provider.ts';
import { loadModelConfigs, ModelRegistry, ModelsConfigError } from '../models/model-registry.ts';
import { validateBenchmarkFile } from '../services/benchmark/validate-benchmark-file.ts';
import { PersonaLibraryError } from '../services/persona-library.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { ProgressReporter } from './progress-line.ts';

/** Exit codes (also in USAGE and docs/generating-benchmarks.md). */
export const GENERATE_EXIT = { done: 0, failures: 1, usage: 2, spendCap: 3, interrupted: 130 } as const;

/** Skipped source rows printed one per line; the rest are counted and listed in the skipped-rows file. */
const SHOWN_SKIPPED = 20;

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`${flag}: expected an integer ≥ ${min}; got "${value}"`);
  return Number(value);
}

function reportSource(source: LoadedSource, sampled: number, skippedRowsFile: string, io: CliIo): void {
  io.out(
    `source ${source.file}: ${source.rows} rows, ${source.problems.length} usable, ${source.skipped.length} skipped; ${sampled} sampled`,
  );
  for (const row of source.skipped.slice(0, SHOWN_SKIPPED))
    io.err(`${source.file}:${row.line}: skipped: ${row.reason}`);
  if (source.skipped.length > SHOWN_SKIPPED) io.err(`… and ${source.skipped.length - SHOWN_SKIPPED} more skipped rows`);
  if (source.skipped.length > 0) io.err(`skipped rows (all of them, with reasons) in ${skippedRowsFile}`);
}

export async function generateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      model: { type: 'string' },
      out: { type: 'string' },
      'sample-size': { type: 'string' },
      'personas-per-problem': { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'max-pairs': { type: 'string' },
      personas: { type: 'string' },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`generate takes no positional arguments (got "${positionals[0]}"); use --config FILE`);
  if (!values.config)
    throw new UsageError('generate needs --config FILE (the task config, see docs/generating-benchmarks.md)');
  if (!values.model)
    throw new UsageError('generate needs --model NAME (e.g. scripted, or a model from config/models.json)');
  if (!values.out) throw new UsageError('generate needs --out DIR (where personalized_<task>.jsonl is written)');
  const overrides = {
    sampleSize: integer(values['sample-size'], '--sample-size', 1),
    personasPerProblem: integer(values['personas-per-problem'], '--personas-per-problem', 1),
    seed: integer(values.seed, '--seed', 0),
  };
  const concurrency = integer(values.concurrency, '--concurrency', 1) ?? 4;
  const maxPairs = integer(values['max-pairs'], '--max-pairs', 1) ?? null;
  const appConfig = loadConfig();

  let provider: MeteredProvider;
  let loaded;
  try {
    loaded = loadGenerationConfig(values.config, overrides);
    const registry = new ModelRegistry(loadModelConfigs(appConfig.modelsFile), (v) => secretFromEnv(v));
    provider = new MeteredProvider(registry.get(values.model));
  } catch (error) {
    if (error instanceof ModelsConfigError || error instanceof GenerationConfigError) {
      io.err(`prefdisco generate: ${error.message}`);
      return GENERATE_EXIT.usage;
    }
    throw error;
  }
  if (provider.isTestModel)
    io.err(
      'note: "scripted" is the offline test model: it makes demo data for trying the pipeline, never a research benchmark.',
    );

  const controller = new AbortController();
  const onSigint = (): void => {
    io.err('\ninterrupted: finishing nothing new; rerun the same command to continue.');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = new ProgressReporter(process.stderr, () => provider.totals);
  let summary: GenerationSummary;
  try {
    summary = await runGeneration({
      config: loaded.config,
      sourceFile: loaded.sourceFile,
      personasDir: values.personas ? resolve(values.personas) : (loaded.personasDir ?? appConfig.personasDir),
      libraryFile: loaded.libraryFile,
      outDir: resolve(values.out),
      provider,
      concurrency,
      maxPairs,
      signal: controller.signal,
      onSource: (source, sampled, file) => reportSource(source, sampled, file, io),
      onProgress: (p) => progress.update(p),
      onNotice: (text) => {
        progress.finish();
        io.err(text);
      },
    });
  } catch (error) {
    progress.finish();
    if (
      error instanceof SourceFileError ||
      error instanceof GenerationSetupError ||
      error instanceof GenerationStateError ||
      error instanceof OutputFileError ||
      error instanceof PersonaLibraryError
    ) {
      io.err(`prefdisco generate: ${error.message}`);
      return GENERATE_EXIT.failures;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  progress.finish();
  const usage = provider.totals;
  if (summary.personasGenerated > 0) io.out(`${summary.personasGenerated} new personas added to the library`);
  const verb = summary.stopped === null ? 'finished' : 'stopped';
  io.out(
    `${verb}: ${summary.done} records written, ${summary.failed} failed, ${summary.skipped} already in ${summary.outFile} ` +
      `(${summary.skipped + summary.done} of ${summary.total}) in ${(summary.elapsedMs / 1000).toFixed(1)} s; ` +
      `${usage.calls} model calls, ${usage.inputTokens + usage.outputTokens} tokens${usage.costUsd === null ? '' : `, $${usage.costUsd.toFixed(4)}`}`,
  );
  if (summary.stopMessage && summary.stopped !== 'interrupted') io.out(`stopped: ${summary.stopMessage}`);
  if (
    summary.failed > 0 ||
    summary.stopped === 'personas_incomplete' ||
    summary.stopped === 'general_dimensions_failed'
  ) {
    io.out(`failures (with reasons) in ${summary.failuresFile}; a rerun retries them`);
  }

  let invalid = false;
  if (summary.total > 0 && summary.skipped + summary.done > 0) {
    // Every file we write must pass `prefdisco validate`; checking here turns a generator bug into a loud failure.
    const report = await validateBenchmarkFile(summary.outFile, { skipImages: true });
    invalid = !report.valid;
    for (const issue of report.issues.filter((i) => i.severity === 'error').slice(0, 20))
      io.err(formatIssue(summary.outFile, issue));
    io.out(
      `validated ${summary.outFile}: ${report.recordCount} records, ${report.errorCount} errors, ${report.warningCount} warnings`,
    );
  }
  if (summary.stopped === 'spend_cap') return GENERATE_EXIT.spendCap;
  if (summary.stopped === 'interrupted') return GENERATE_EXIT.interrupted;
  if (
    invalid ||
    summary.failed > 0 ||
    summary.stopped === 'personas_incomplete' ||
    summary.stopped === 'general_dimensions_failed'
  )
    return GENERATE_EXIT.failures;
  return GENERATE_EXIT.done;
}
