import type { Command } from 'commander';
import {
  cohenKappa,
  KAPPA_WEIGHTS,
  krippendorffAlpha,
  MEASUREMENT_LEVELS,
  type Category,
  type KappaWeights,
  type MeasurementLevel,
} from '../../shared/stats/index.ts';
import { CsvFileError, readCsvFile, type CsvParseResult } from '../services/csv/read-csv.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { choiceOption } from './cli-options.ts';

/** A problem with the input file: exit 2 like a usage error, but reported as `file:line: message` without the usage. */
class InputError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(message);
  }
}

interface CoderRow {
  name: string;
  line: number;
  cells: string[];
}

/** Strict decimal numbers only, so "0x10", "1e", "Infinity" or " " are not silently read as numbers. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A coders × units CSV: first column the coder name, then one column per unit; empty cells are missing. A first row
 * whose first cell is empty or "coder" is a header (unit names) and is skipped. Blank lines are ignored.
 */
async function readCoderCsv(file: string): Promise<CoderRow[]> {
  let parsed: CsvParseResult;
  try {
    parsed = await readCsvFile(file, { trim: true });
  } catch (error) {
    if (error instanceof CsvFileError) throw new InputError(null, error.reason);
    throw error;
  }
  const [problem] = parsed.problems;
  if (problem) throw new InputError(problem.line, problem.message);
  const rows: CoderRow[] = [];
  let width = -1;
  for (const { line, fields: cells } of parsed.records) {
    const first = cells[0] ?? '';
    if (width === -1) {
      width = cells.length;
      if (width < 2) throw new InputError(line, 'expected the coder name followed by at least one unit column');
      if (first === '' || first.toLowerCase() === 'coder') continue;
    }
    if (cells.length !== width)
      throw new InputError(line, `${cells.length} cells, expected ${width} like the first row`);
    if (first === '') throw new InputError(line, 'the coder name (first cell) is empty');
    const twin = rows.find((r) => r.name === first);
    if (twin) throw new InputError(line, `coder "${first}" already appears on line ${twin.line}`);
    rows.push({ name: first, line, cells: cells.slice(1) });
  }
  if (rows.length === 0) throw new InputError(null, 'no coder rows');
  return rows;
}

/** Numbers for numeric cells, labels for the others if `labels` is allowed; empty cells are null. */
function ratings(row: CoderRow, labels: boolean, why: string): (Category | null)[] {
  return row.cells.map((cell, j) => {
    if (cell === '') return null;
    if (NUMBER.test(cell)) return Number(cell);
    if (labels) return cell;
    throw new InputError(row.line, `column ${j + 2} ("${cell}") is not a number; ${why} (leave missing cells empty)`);
  });
}

interface Outcome {
  statistic: string;
  setting: Record<string, string>;
  label: string;
  value: number | null;
  n: number;
  reason?: string;
  detail: string;
}

function alpha(level: MeasurementLevel): (rows: CoderRow[]) => Outcome {
  return (rows) => {
    const r = krippendorffAlpha(
      rows.map((row) => ratings(row, false, 'alpha needs numeric values') as (number | null)[]),
      level,
    );
    const count = r.pairableValues === undefined ? '' : `, ${r.pairableValues} values`;
    return {
      statistic: 'krippendorff-alpha',
      setting: { level },
      label: `Krippendorff's alpha (${level})`,
      ...r,
      detail: `pairable units${count}`,
    };
  };
}

function kappa(weights: KappaWeights): (rows: CoderRow[]) => Outcome {
  return (rows) => {
    if (rows.length !== 2) throw new InputError(null, `kappa needs exactly 2 coder rows, found ${rows.length}`);
    const [a, b] = rows.map((row) => ratings(row, weights === 'none', `--weights ${weights} needs numeric ratings`));
    const r = cohenKappa(a ?? [], b ?? [], { weights });
    const dropped = r.droppedPairs ? `; ${r.droppedPairs} dropped with a missing rating` : '';
    const label = `Cohen's kappa${weights === 'none' ? '' : ` (${weights} weights)`}`;
    return { statistic: 'cohen-kappa', setting: { weights }, label, ...r, detail: `units rated by both${dropped}` };
  };
}

const CSV_HELP =
  'The CSV holds one row per coder: first column the coder name, then one column per unit; empty cells are ' +
  'missing. A first row whose first cell is empty or "coder" is a header. Formulas: docs/agreement-statistics.md.';

/** `prefdisco stats alpha|kappa …`: exit 0 with a value, 1 when it is undefined (with the reason), 2 on bad input. */
export function registerStats(program: Command, ctx: CliContext): void {
  const stats = program
    .command('stats')
    .summary("agreement between coders: Krippendorff's alpha or Cohen's kappa")
    .description(
      "Krippendorff's alpha or Cohen's kappa from a coders × units CSV. Exit 0 with a value, 1 when it is " +
        'undefined (with the reason), 2 on usage errors or a malformed file.',
    );
  stats
    .command('alpha')
    .summary("Krippendorff's alpha")
    .description(`Krippendorff's alpha at a measurement level. ${CSV_HELP}`)
    .argument('<FILE>', 'coders × units CSV')
    .addOption(choiceOption('--level <LEVEL>', 'measurement level', MEASUREMENT_LEVELS).makeOptionMandatory())
    .option('--json', 'print {statistic, level, value, n[, reason]}')
    .action(async (file: string, options: { level: MeasurementLevel; json?: boolean }) =>
      ctx.exit(await report(file, alpha(options.level), options.json === true, ctx.io)),
    );
  stats
    .command('kappa')
    .summary("Cohen's kappa (exactly 2 coder rows)")
    .description(`Cohen's kappa, unweighted or weighted; the CSV has exactly 2 coder rows. ${CSV_HELP}`)
    .argument('<FILE>', 'coders × units CSV')
    .addOption(choiceOption('--weights <WEIGHTS>', 'disagreement weights', KAPPA_WEIGHTS).default('none'))
    .option('--json', 'print {statistic, weights, value, n[, reason]}')
    .action(async (file: string, options: { weights: KappaWeights; json?: boolean }) =>
      ctx.exit(await report(file, kappa(options.weights), options.json === true, ctx.io)),
    );
}

async function report(file: string, run: (rows: CoderRow[]) => Outcome, json: boolean, io: CliIo): Promise<number> {
  let outcome: Outcome;
  try {
    outcome = run(await readCoderCsv(file));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.err(`prefdisco: ${file}${error.line === null ? '' : `:${error.line}`}: ${error.message}`);
    return 2;
  }
  const { statistic, setting, label, value, n, reason, detail } = outcome;
  if (json) {
    io.out(JSON.stringify({ statistic, ...setting, value, n, ...(reason === undefined ? {} : { reason }) }, null, 2));
  } else if (value === null) {
    io.out(`${label}: undefined: ${reason ?? 'no value'} (n = ${n})`);
  } else {
    io.out(`${label}: ${value.toFixed(3)} (n = ${n} ${detail})`);
  }
  return value === null ? 1 : 0;
}
