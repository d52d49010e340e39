import { resolve } from 'node:path';
import type { Command } from 'commander';
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
import type { CliContext, CliIo } from './cli-io.ts';
import { integerAtLeast } from './cli-options.ts';
import { promptsOption, readGenerationPromptsOption } from './prompts-option.ts';
import { NO_PROGRESS, ProgressReporter } from './progress-line.ts';

/** Exit codes (also in the command's help and docs/generating-benchmarks.md). */
export const GENERATE_EXIT = { done: 0, failures: 1, usage: 2, spendCap: 3, interrupted: 130 } as const;

/** Skipped source rows printed one per line; the rest are counted and listed in the skipped-rows file. */
const SHOWN_SKIPPED = 20;

function reportSource(source: LoadedSource, sampled: number, skippedRowsFile: string, io: CliIo): void {
  io.out(
    `source ${source.file}: ${source.rows} rows, ${source.problems.length} usable, ${source.skipped.length} skipped; ${sampled} sampled`,
  );
  for (const row of source.skipped.slice(0, SHOWN_SKIPPED))
    io.err(`${source.file}:${row.line}: skipped: ${row.reason}`);
  if (source.skipped.length > SHOWN_SKIPPED) io.err(`… and ${source.skipped.length - SHOWN_SKIPPED} more skipped rows`);
  if (source.skipped.length > 0) io.err(`skipped rows (all of them, with reasons) in ${skippedRowsFile}`);
}

interface GenerateOptions {
  config: string;
  model: string;
  out: string;
  sampleSize?: number;
  personasPerProblem?: number;
  seed?: number;
  concurrency: number;
  maxPairs?: number;
  personas?: string;
  prompts?: string;
}

export function registerGenerate(program: Command, ctx: CliContext): void {
  program
    .command('generate')
    .summary('make a personalized benchmark from your own dataset')
    .description(
      'Make a personalized benchmark from your own dataset (JSONL or CSV in one of the ten source shapes): personas ' +
        '(reused, or generated into the library), preferences per (problem, persona), rubrics. Writes ' +
        'DIR/personalized_<task>.jsonl (reference format). Resumable: a rerun continues where the last one stopped. ' +
        'See docs/generating-benchmarks.md.',
    )
    .requiredOption('--config <FILE>', 'the task config (docs/generating-benchmarks.md)')
    .requiredOption('--model <NAME>', 'scripted, or a model from the models file')
    .requiredOption('--out <DIR>', 'where personalized_<task>.jsonl is written')
    .option('--sample-size <N>', 'problems sampled from the source (overrides the config)', integerAtLeast(1))
    .option('--personas-per-problem <K>', 'personas per problem (overrides the config)', integerAtLeast(1))
    .option('--seed <S>', 'seed of every random choice (same seed + scripted model = same bytes)', integerAtLeast(0))
    .option('--concurrency <N>', 'model calls at once (does not change the output)', integerAtLeast(1), 4)
    .option('--max-pairs <N>', 'stop after N new records (try a config cheaply; rerun to continue)', integerAtLeast(1))
    .option('--personas <DIR>', "the persona library (default: the config's personas.dir, else PREFDISCO_PERSONAS_DIR)")
    .addOption(promptsOption())
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 done; 1 some records failed (reasons in DIR/personalized_<task>_failures.jsonl)',
        "or bad input; 2 usage error or a bad config; 3 stopped at the model's spend cap (spendCapUsd in",
        'the models file); 130 interrupted.',
      ].join('\n'),
    )
    .action(async (options: GenerateOptions) => ctx.exit(await generate(options, ctx.io)));
}

async function generate(options: GenerateOptions, io: CliIo): Promise<number> {
  const overrides = {
    sampleSize: options.sampleSize,
    personasPerProblem: options.personasPerProblem,
    seed: options.seed,
  };
  const concurrency = options.concurrency;
  const maxPairs = options.maxPairs ?? null;
  const appConfig = loadConfig();
  const prompts = readGenerationPromptsOption(options.prompts, io);
  if (prompts === null) return GENERATE_EXIT.usage;

  let provider: MeteredProvider;
  let loaded;
  try {
    loaded = loadGenerationConfig(options.config, overrides);
    const registry = new ModelRegistry(loadModelConfigs(appConfig.modelsFile), (v) => secretFromEnv(v));
    provider = new MeteredProvider(registry.get(options.model));
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
  const progress = new ProgressReporter(io.progress ?? NO_PROGRESS, () => provider.totals);
  let summary: GenerationSummary;
  try {
    summary = await runGeneration({
      config: loaded.config,
      sourceFile: loaded.sourceFile,
      personasDir: options.personas ? resolve(options.personas) : (loaded.personasDir ?? appConfig.personasDir),
      libraryFile: loaded.libraryFile,
      outDir: resolve(options.out),
      provider,
      concurrency,
      maxPairs,
      prompts,
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
