import type { Command } from 'commander';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import type { ValidationReport } from '../services/benchmark/validation-report.ts';
import { referenceValidate } from '../services/benchmark/reference-validator.ts';
import { validateBenchmarkFile } from '../services/benchmark/validate-benchmark-file.ts';
import type { CliContext, CliIo } from './cli-io.ts';

/** Human output lists at most this many issues per file; --json lists all. */
const MAX_PRINTED_ISSUES = 200;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summaryLine(report: ValidationReport): string {
  const types =
    Object.entries(report.countsByType)
      .map(([t, n]) => `${t}: ${n}`)
      .join(', ') || 'none';
  const verdict = report.valid ? 'valid' : 'INVALID';
  return (
    `${report.file}: ${verdict}: ${plural(report.recordCount, 'record')} (${types}); ` +
    `${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}`
  );
}

interface ValidateOptions {
  skipImages?: boolean;
  json?: boolean;
  reference?: boolean;
}

export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .summary('check benchmark JSONL files')
    .description(
      'Check benchmark JSONL files (reference PrefDisco format): every line against the schemas and the cross-field ' +
        'rules, each issue with its line and JSON path. Exit 0 valid, 1 invalid, 2 usage error.',
    )
    .argument('<FILE...>', 'benchmark files to check')
    .option('--skip-images', 'do not check that image files named in records exist')
    .option('--json', 'print a machine-readable report (every issue)')
    .option(
      '--reference',
      "check only what the reference's validator (scripts/validate_benchmark.py) checks, to tell whether it would " +
        'accept the file',
    )
    .action(async (files: string[], options: ValidateOptions) =>
      ctx.exit(await (options.reference ? validateAsReference : validate)(files, options, ctx.io)),
    );
}

/** The reference validator's report, one per file: its counts, at most 20 errors, then its verdict. */
async function validateAsReference(files: string[], options: ValidateOptions, io: CliIo): Promise<number> {
  const reports = [];
  for (const file of files) reports.push(await referenceValidate(file, { skipImages: options.skipImages === true }));
  if (options.json) {
    io.out(JSON.stringify({ valid: reports.every((r) => r.valid), files: reports }, null, 2));
  } else {
    for (const r of reports) {
      const types = Object.entries(r.countsByType)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([t, n]) => `${t}=${n}`)
        .join(', ');
      io.out(`${r.file}: records: ${r.records}; types: ${types || 'none'}`);
      for (const e of r.errors.slice(0, 20)) io.out(`${r.file}: error: ${e}`);
      if (r.errors.length > 20) io.out(`${r.file}: error: ... and ${r.errors.length - 20} more`);
      io.out(
        `${r.file}: ${r.valid ? 'the reference validator accepts this file' : 'the reference validator rejects this file'}`,
      );
    }
  }
  return reports.every((r) => r.valid) ? 0 : 1;
}

async function validate(files: string[], options: ValidateOptions, io: CliIo): Promise<number> {
  const reports: ValidationReport[] = [];
  for (const file of files) {
    reports.push(await validateBenchmarkFile(file, { skipImages: options.skipImages === true }));
  }
  const allValid = reports.every((r) => r.valid);

  if (options.json) {
    io.out(
      JSON.stringify(
        {
          valid: allValid,
          files: reports.map((r) => ({
            file: r.file,
            valid: r.valid,
            records: r.recordCount,
            lines: r.lineCount,
            countsByType: r.countsByType,
            errors: r.errorCount,
            warnings: r.warningCount,
            sha256: r.sha256,
            issues: r.issues,
          })),
        },
        null,
        2,
      ),
    );
    return allValid ? 0 : 1;
  }

  for (const report of reports) {
    for (const issue of report.issues.slice(0, MAX_PRINTED_ISSUES)) io.out(formatIssue(report.file, issue));
    if (report.issues.length > MAX_PRINTED_ISSUES) {
      io.out(`${report.file}: … ${report.issues.length - MAX_PRINTED_ISSUES} more issues (use --json to see all)`);
    }
    io.out(summaryLine(report));
  }
  if (reports.length > 1) {
    const bad = reports.filter((r) => !r.valid).length;
    io.out(`${reports.length} files: ${reports.length - bad} valid, ${bad} invalid`);
  }
  return allValid ? 0 : 1;
}
