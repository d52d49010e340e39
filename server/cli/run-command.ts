import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import { MODES, USER_TYPES, type Mode, type UserType } from '../../shared/schemas/evaluation.ts';
import { loadConfig, secretFromEnv } from '../config.ts';
import { DEFAULT_MAX_TURNS } from '../engine/episode-runner.ts';
import { promptsOption, readPromptsOption } from './prompts-option.ts';
import { MeteredProvider, type UsageTotals } from '../models/metered-provider.ts';
import { loadModelConfigs, ModelRegistry, ModelsConfigError } from '../models/model-registry.ts';
import {
  ImagesMismatchError,
  InvalidBenchmarkError,
  PromptPackMismatchError,
  ResultsFileError,
  runBatch,
} from '../services/evaluation/batch-run.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { databaseOptions, integerAtLeast, listOf } from './cli-options.ts';
import { NO_PROGRESS, ProgressReporter } from './progress-line.ts';

/** `i/n`: this process's contiguous share of the records. */
function shard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
    throw new InvalidArgumentError(`expected i/n with 0 ≤ i < n; got "${value}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

const SIMULATED_USER_TYPES = USER_TYPES.filter((u) => u !== 'no_user_interaction');

interface RunOptions {
  model: string;
  judge: string;
  simulator?: string;
  out: string;
  modes?: Mode[];
  userTypes: UserType[];
  maxTurns: number;
  fixedQuestions?: number;
  maxProblems?: number;
  seed: number;
  shard?: { index: number; count: number };
  concurrency: number;
  /** A path, false for --no-db, undefined for the configured database. */
  db?: string | false;
  skipImages?: boolean;
  image?: boolean;
  referenceQuirks?: boolean;
  strict?: boolean;
  prompts?: string;
  /** Set only by --share-baseline or --no-share-baseline; when neither is given it follows --reference-quirks. */
  shareBaseline?: boolean;
}

export function registerRun(program: Command, ctx: CliContext): void {
  const command = program
    .command('run')
    .summary('evaluate a model on a benchmark')
    .description(
      'Evaluate a model on a benchmark: baseline (no_prompt), oracle (persona_known) and discovery (infer_persona) ' +
        'with a simulated user, judged per rubric criterion and for correctness. Resumable: a rerun skips what is ' +
        'done. Exit 0 done, 1 some episodes failed or bad input, 2 usage error, 130 interrupted.',
    )
    .argument('<BENCH>', 'benchmark JSONL file')
    .requiredOption('--model <NAME>', 'the model under test (scripted, or a model from the models file)')
    .requiredOption('--judge <NAME>', 'the judge model')
    .requiredOption('--out <FILE>', 'results file (reference JSONL format)')
    .option('--simulator <NAME>', "the simulated user's model (default: the judge, as in the reference)")
    .addOption(
      new Option('--modes <LIST>', 'no_prompt, persona_known, infer_persona (default: all three)').argParser(
        listOf(MODES),
      ),
    )
    .addOption(
      new Option('--user-types <LIST>', SIMULATED_USER_TYPES.join(', '))
        .argParser(listOf(SIMULATED_USER_TYPES))
        .default(['passive_nostop'], 'passive_nostop'),
    )
    .option('--max-turns <N>', 'elicitation turns before the forced final answer', integerAtLeast(1), DEFAULT_MAX_TURNS)
    .option(
      '--fixed-questions <K>',
      'the fixed-K ablation (exactly K questions; infer_persona only)',
      integerAtLeast(1),
    )
    .option('--max-problems <N>', 'evaluate a seeded sample of N records (see --seed)', integerAtLeast(1))
    .option('--seed <S>', 'seed of the record sample', integerAtLeast(0), 42)
    .option('--shard <i/n>', "this process's contiguous share of the records (0 ≤ i < n)", shard)
    .option('--concurrency <N>', 'episodes at once', integerAtLeast(1), 8)
    .option(
      '--reference-quirks',
      'handle judge and simulator replies as the reference does: asked once, read its way (no score = 1, ' +
        'any number kept, unreadable = episode skipped), correctness at temperature 0.7 (docs/engine.md)',
    )
    .option(
      '--share-baseline',
      "one baseline (no_prompt) answer per problem, shared by all its personas, as the reference's response cache " +
        'makes it, still judged per persona (default: on with --reference-quirks, off otherwise)',
    )
    .option('--no-share-baseline', 'a baseline answer of its own for every persona, even with --reference-quirks')
    .option('--skip-images', 'do not check that image files named in records exist')
    .option(
      '--image',
      "send each record's image (images/ next to BENCH) to the model under test with the opening message, as the " +
        "reference's --image; records without one are skipped and listed in the failures file",
    )
    .option(
      '--strict',
      'refuse a benchmark file with any validation error (default: run every record the reference could run, ' +
        'skip the others with their reasons in the failures file)',
    )
    .addOption(promptsOption());
  for (const option of databaseOptions(true)) command.addOption(option);
  command.action(async (file: string, options: RunOptions) => ctx.exit(await run(file, options, ctx.io)));
}

function sumUsage(parts: UsageTotals[]): UsageTotals {
  return parts.reduce<UsageTotals>(
    (a, b) => ({
      calls: a.calls + b.calls,
      failedCalls: a.failedCalls + b.failedCalls,
      inputTokens: a.inputTokens + b.inputTokens,
      outputTokens: a.outputTokens + b.outputTokens,
      costUsd: a.costUsd === null && b.costUsd === null ? null : (a.costUsd ?? 0) + (b.costUsd ?? 0),
    }),
    { calls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: null },
  );
}

async function run(benchmarkFile: string, options: RunOptions, io: CliIo): Promise<number> {
  const fixedQuestions = options.fixedQuestions ?? null;
  const quirks = options.referenceQuirks === true;
  const config = loadConfig();
  const prompts = readPromptsOption(options.prompts, 'run', io);
  if (prompts === null) return 2;

  let registry: ModelRegistry;
  let models;
  try {
    registry = new ModelRegistry(loadModelConfigs(config.modelsFile), (v) => secretFromEnv(v));
    models = {
      assistant: new MeteredProvider(registry.get(options.model)),
      judge: new MeteredProvider(registry.get(options.judge)),
      simulator: new MeteredProvider(registry.get(options.simulator ?? options.judge)),
    };
  } catch (error) {
    if (error instanceof ModelsConfigError) {
      io.err(`prefdisco run: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const metered = [...new Set([models.assistant, models.judge, models.simulator])];
  if (metered.some((m) => m.isTestModel)) {
    io.err('note: "scripted" is the offline test model: its numbers are for demos and tests, never research results.');
  }

  const storage = options.db === false ? null : await openStorage(commandDatabase(options.db, config.database), 'tool');
  const controller = new AbortController();
  const onSigint = (): void => {
    io.err('\ninterrupted: finishing nothing new; rerun the same command to resume.');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = new ProgressReporter(io.progress ?? NO_PROGRESS, () => sumUsage(metered.map((m) => m.totals)));
  try {
    const summary = await runBatch({
      benchmarkFile,
      outFile: options.out,
      models,
      modes: options.modes ?? (fixedQuestions === null ? [...MODES] : ['infer_persona']),
      userTypes: options.userTypes,
      maxTurns: options.maxTurns,
      fixedQuestions,
      maxProblems: options.maxProblems ?? null,
      seed: options.seed,
      shard: options.shard ?? null,
      concurrency: options.concurrency,
      referenceQuirks: quirks,
      skipImages: options.skipImages === true,
      images: options.image === true,
      strict: options.strict === true,
      prompts,
      shareBaseline: options.shareBaseline ?? quirks,
      storage,
      signal: controller.signal,
      onProgress: (p) => progress.update(p),
    });
    progress.finish();
    const usage = sumUsage(metered.map((m) => m.totals));
    io.out(
      `${summary.interrupted ? 'interrupted' : 'finished'}: ${summary.done} episodes done, ${summary.failed} failed, ` +
        `${summary.skipped} already in ${summary.outFile}${summary.rejudged > 0 ? `, ${summary.rejudged} re-judged` : ''} ` +
        `in ${(summary.elapsedMs / 1000).toFixed(1)} s; ${usage.calls} model calls, ${usage.inputTokens + usage.outputTokens} tokens` +
        `${usage.costUsd === null ? '' : `, $${usage.costUsd.toFixed(4)}`}`,
    );
    if (summary.aggregateFile) io.out(`aggregate line appended to ${summary.aggregateFile}`);
    if (summary.invalidRecords > 0)
      io.out(
        `${summary.invalidRecords} benchmark lines could not be evaluated and were skipped; their reasons are in ` +
          `${summary.failuresFile} (prefdisco validate lists every issue; --strict refuses such a file)`,
      );
    if (summary.imageSkipped > 0)
      io.out(
        `${summary.imageSkipped} records without a usable image were skipped (--image); listed in ${summary.failuresFile}`,
      );
    if (summary.failed > 0) io.out(`failures (with reasons) in ${summary.failuresFile}; a rerun retries them`);
    return summary.interrupted ? 130 : summary.failed > 0 || summary.invalidRecords > 0 ? 1 : 0;
  } catch (error) {
    progress.finish();
    if (error instanceof InvalidBenchmarkError) {
      for (const issue of error.report.issues.filter((i) => i.severity === 'error').slice(0, 50))
        io.err(formatIssue(error.report.file, issue));
      io.err(error.message);
      return 1;
    }
    if (error instanceof PromptPackMismatchError || error instanceof ImagesMismatchError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof ResultsFileError) {
      for (const issue of error.issues.slice(0, 50)) io.err(`${error.file}:${issue.line}: ${issue.message}`);
      io.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await storage?.close();
  }
}
