import { parseArgs } from 'node:util';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import { MODES, USER_TYPES, type Mode, type UserType } from '../../shared/schemas/evaluation.ts';
import { loadConfig, secretFromEnv } from '../config.ts';
import { DEFAULT_MAX_TURNS } from '../engine/episode-runner.ts';
import { MeteredProvider, type UsageTotals } from '../models/metered-provider.ts';
import { loadModelConfigs, ModelRegistry, ModelsConfigError } from '../models/model-registry.ts';
import { InvalidBenchmarkError, ResultsFileError, runBatch } from '../services/evaluation/batch-run.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { ProgressReporter } from './progress-line.ts';

function list<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T[]): T[] {
  if (value === undefined) return fallback;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !allowed.includes(i as T));
  if (bad.length > 0 || items.length === 0)
    throw new UsageError(`${flag}: expected one or more of ${allowed.join(', ')}; got "${value}"`);
  return items as T[];
}

function integer(value: string | undefined, flag: string, min: number): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`${flag}: expected an integer ≥ ${min}; got "${value}"`);
  return Number(value);
}

function shard(value: string | undefined): { index: number; count: number } | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
    throw new UsageError(`--shard: expected i/n with 0 ≤ i < n; got "${value}"`);
  return { index: Number(m[1]), count: Number(m[2]) };
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

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      judge: { type: 'string' },
      simulator: { type: 'string' },
      out: { type: 'string' },
      modes: { type: 'string' },
      'user-types': { type: 'string' },
      'max-turns': { type: 'string' },
      'fixed-questions': { type: 'string' },
      'max-problems': { type: 'string' },
      seed: { type: 'string' },
      shard: { type: 'string' },
      concurrency: { type: 'string' },
      db: { type: 'string' },
      'no-db': { type: 'boolean', default: false },
      'skip-images': { type: 'boolean', default: false },
      'reference-quirks': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('run takes exactly one benchmark FILE');
  if (!values.model) throw new UsageError('run needs --model NAME (the model under test)');
  if (!values.judge) throw new UsageError('run needs --judge NAME');
  if (!values.out) throw new UsageError('run needs --out FILE (results, reference JSONL format)');
  const fixedQuestions = integer(values['fixed-questions'], '--fixed-questions', 1);
  const config = loadConfig();

  let registry: ModelRegistry;
  let models;
  try {
    registry = new ModelRegistry(loadModelConfigs(config.modelsFile), (v) => secretFromEnv(v));
    models = {
      assistant: new MeteredProvider(registry.get(values.model)),
      judge: new MeteredProvider(registry.get(values.judge)),
      simulator: new MeteredProvider(registry.get(values.simulator ?? values.judge)),
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

  const storage = values['no-db'] ? null : SqliteStorage.open({ file: values.db ?? config.databaseFile });
  const controller = new AbortController();
  const onSigint = (): void => {
    io.err('\ninterrupted: finishing nothing new; rerun the same command to resume.');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = new ProgressReporter(process.stderr, () => sumUsage(metered.map((m) => m.totals)));
  try {
    const summary = await runBatch({
      benchmarkFile: positionals[0] as string,
      outFile: values.out,
      models,
      modes: list<Mode>(values.modes, MODES, '--modes', fixedQuestions === null ? [...MODES] : ['infer_persona']),
      userTypes: list<UserType>(
        values['user-types'],
        USER_TYPES.filter((u) => u !== 'no_user_interaction'),
        '--user-types',
        ['passive_nostop'],
      ),
      maxTurns: integer(values['max-turns'], '--max-turns', 1) ?? DEFAULT_MAX_TURNS,
      fixedQuestions,
      maxProblems: integer(values['max-problems'], '--max-problems', 1),
      seed: integer(values.seed, '--seed', 0) ?? 42,
      shard: shard(values.shard),
      concurrency: integer(values.concurrency, '--concurrency', 1) ?? 8,
      reference: { missingScoreAsOne: values['reference-quirks'], correctnessTemperature: values['reference-quirks'] },
      skipImages: values['skip-images'],
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
    if (summary.failed > 0) io.out(`failures (with reasons) in ${summary.failuresFile}; a rerun retries them`);
    return summary.interrupted ? 130 : summary.failed > 0 ? 1 : 0;
  } catch (error) {
    progress.finish();
    if (error instanceof InvalidBenchmarkError) {
      for (const issue of error.report.issues.filter((i) => i.severity === 'error').slice(0, 50))
        io.err(formatIssue(error.report.file, issue));
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
