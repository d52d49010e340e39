import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import {
  computeMetrics,
  POOLED_TASK,
  type BootstrapCi,
  type GroupMetrics,
  type MetricRow,
  type WorseThanGenericSummary,
} from '../../shared/stats/index.ts';
import { readJsonlLines } from '../services/benchmark/read-jsonl-lines.ts';
import { companionPath, readResultsFile } from '../services/evaluation/result-files.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { anyInteger, integerAtLeast } from './cli-options.ts';

function ci(c: BootstrapCi, digits = 2, scale = 1): string {
  if (c.estimate === null) return '—';
  const f = (x: number | null): string => (x === null ? '?' : (x * scale).toFixed(digits));
  return `${f(c.estimate)} [${f(c.low)}, ${f(c.high)}]`;
}

function pct(c: BootstrapCi): string {
  if (c.estimate === null) return '—';
  const f = (x: number | null): string => (x === null ? '?' : `${(x * 100).toFixed(0)}%`);
  return `${f(c.estimate)} [${f(c.low)}, ${f(c.high)}]`;
}

function groupTable(g: GroupMetrics): string[] {
  const lines = [
    `${g.model} · ${g.task === POOLED_TASK ? 'all tasks pooled' : `task ${g.task}`} · ${g.records} records`,
  ];
  const rows = g.conditions
    .filter((c) => c.n > 0)
    .map((c) => [
      c.condition === 'discovery' ? `discovery (${c.userType})` : c.condition,
      String(c.n),
      String(c.failed),
      ci(c.prefAlign),
      c.prefAlign100.estimate === null ? '—' : c.prefAlign100.estimate.toFixed(1),
      ci(c.accuracy),
      c.meanTurns === null ? '—' : c.meanTurns.toFixed(2),
    ]);
  const header = ['condition', 'n', 'failed', 'PrefAlign 1–5 [95% CI]', '0–100', 'accuracy [95% CI]', 'turns'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string =>
    `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`;
  lines.push(fmt(header), ...rows.map(fmt));
  if (g.oracleVsBaseline.n > 0)
    lines.push(`  oracle vs baseline: Δaccuracy ${ci(g.oracleVsBaseline.deltaAccuracy)} (n=${g.oracleVsBaseline.n})`);
  for (const d of g.discovery) {
    if (d.n === 0) continue;
    lines.push(
      `  discovery (${d.userType}) vs baseline, ${d.n} paired records: normalized alignment ${ci(d.normalizedAlignment, 1)}; ` +
        `worse than generic ${pct(d.worseRate)}, ties ${pct(d.tieRate)}, better ${pct(d.betterRate)}; Δaccuracy ${ci(d.deltaAccuracy)}`,
    );
  }
  return lines;
}

/** "61 of 210 (29.0%)": counts first, so a reader can redo the share in the unit they need. */
function share(part: number, n: number): string {
  return `${part} of ${n} (${n === 0 ? '—' : `${((part / n) * 100).toFixed(1)}%`})`;
}

/** Worse than generic over everything reported, in both units (docs/metrics.md, "Worse than generic: two units"). */
function worseThanGenericLines(summaries: readonly WorseThanGenericSummary[]): string[] {
  const compared = summaries.filter((s) => s.records.n > 0);
  if (compared.length === 0) return [];
  return [
    'worse than generic over all models and tasks (discovery below baseline; a difference within 1e-9 is a tie, not worse):',
    ...compared.map(
      (s) =>
        `  discovery (${s.userType}): records ${share(s.records.worse, s.records.n)}, ties ${s.records.ties}; ` +
        `model × task groups (discovery mean below baseline mean) ${share(s.groups.worse, s.groups.n)}, ties ${s.groups.ties}`,
    ),
  ];
}

/** The last `model` named in the reference's `<out>_aggregate.jsonl`, for result files that do not name it per line. */
async function modelFromAggregate(file: string): Promise<string | null> {
  const aggregate = companionPath(file, 'aggregate');
  if (!existsSync(aggregate)) return null;
  let model: string | null = null;
  for await (const entry of readJsonlLines(aggregate)) {
    if (entry.kind !== 'text' || !entry.text.trim()) continue;
    try {
      const value = JSON.parse(entry.text) as { model?: unknown };
      if (typeof value.model === 'string') model = value.model;
    } catch {
      // a broken aggregate line only loses the fallback name
    }
  }
  return model;
}

interface Extras {
  prefdisco_live?: { assistant_model?: string; task?: string; test_model?: boolean };
}

interface ReportOptions {
  json?: boolean;
  model?: string;
  task?: string;
  resamples: number;
  seed: number;
}

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .summary('metrics with bootstrap 95% CIs from results files')
    .description(
      'Metrics per model × task × condition with bootstrap 95% CIs. Reads reference result files too. ' +
        'Exit 0 reported, 1 some lines or files could not be read, 2 usage error.',
    )
    .argument('<RESULTS...>', 'results JSONL files (from prefdisco run or the reference)')
    .option('--json', 'print the metrics as JSON')
    .option('--model <NAME>', 'model name for result lines that do not name one')
    .option('--task <NAME>', 'task name for result lines that do not name one')
    .option('--resamples <N>', 'bootstrap resamples', integerAtLeast(1), 1000)
    .option('--seed <S>', 'bootstrap seed', anyInteger, 42)
    .action(async (files: string[], options: ReportOptions) => ctx.exit(await report(files, options, ctx.io)));
}

async function report(files: string[], options: ReportOptions, io: CliIo): Promise<number> {
  const { resamples, seed } = options;
  const rows: MetricRow[] = [];
  const testModels = new Set<string>();
  let problems = 0;
  let failures = 0;
  for (const file of files) {
    if (!existsSync(file)) {
      io.err(`${file}: no such file`);
      problems += 1;
      continue;
    }
    const read = await readResultsFile(file);
    for (const issue of read.issues) io.err(`${file}:${issue.line}: skipped: ${issue.message}`);
    problems += read.issues.length;
    const fallbackModel = options.model ?? (await modelFromAggregate(file)) ?? 'unknown-model';
    for (const r of read.results) {
      const extras = (r as Extras).prefdisco_live;
      if (extras?.test_model && extras.assistant_model) testModels.add(extras.assistant_model);
      rows.push({
        model: extras?.assistant_model ?? fallbackModel,
        task: extras?.task ?? options.task ?? 'unknown-task',
        problemId: r.problem_id,
        mode: r.mode,
        userType: r.user_type,
        score: r.weighted_score,
        correct: r.correct === null || r.correct === undefined ? null : r.correct === true || r.correct === 1 ? 1 : 0,
        turns: r.evaluation.interaction_turns,
      });
    }
    const failuresFile = companionPath(file, 'failures');
    if (existsSync(failuresFile)) {
      for await (const entry of readJsonlLines(failuresFile))
        if (entry.kind === 'text' && entry.text.trim()) failures += 1;
    }
  }
  const metrics = computeMetrics(rows, { resamples, seed });
  if (options.json) {
    io.out(JSON.stringify({ ...metrics, failuresRecorded: failures, skippedLines: problems }, null, 2));
    return problems > 0 ? 1 : 0;
  }
  if (rows.length === 0) {
    io.out('no result lines to report');
    return problems > 0 ? 1 : 0;
  }
  if (testModels.size > 0) {
    io.out(
      `note: ${[...testModels].join(', ')} ${testModels.size === 1 ? 'is a test model' : 'are test models'}: demo numbers, not research results.\n`,
    );
  }
  for (const g of metrics.groups) io.out(`${groupTable(g).join('\n')}\n`);
  const worse = worseThanGenericLines(metrics.worseThanGeneric);
  if (worse.length > 0) io.out(`${worse.join('\n')}\n`);
  io.out(
    `${metrics.inputRows} result lines${metrics.duplicateRowsDropped ? `, ${metrics.duplicateRowsDropped} duplicates dropped (last kept)` : ''}` +
      `${failures ? `; ${failures} failed episodes recorded in *_failures.jsonl (not in these numbers)` : ''}; ` +
      `95% percentile bootstrap over records, ${metrics.resamples} resamples, seed ${metrics.seed}.`,
  );
  return problems > 0 ? 1 : 0;
}
