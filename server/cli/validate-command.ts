import { parseArgs } from 'node:util';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import type { ValidationReport } from '../services/benchmark/validate-benchmark-file.ts';
import { validateBenchmarkFile } from '../services/benchmark/validate-benchmark-file.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';

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

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'skip-images': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');

  const reports: ValidationReport[] = [];
  for (const file of positionals) {
    reports.push(await validateBenchmarkFile(file, { skipImages: values['skip-images'] }));
  }
  const allValid = reports.every((r) => r.valid);

  if (values.json) {
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
