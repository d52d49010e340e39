import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  cohenKappa,
  KAPPA_WEIGHTS,
  krippendorffAlpha,
  MEASUREMENT_LEVELS,
  type Category,
  type KappaWeights,
  type MeasurementLevel,
} from '../../shared/stats/index.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';

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

/** One CSV record (RFC 4180 quoting, "" for a quote inside quotes); a record may not span lines. */
function splitCsvLine(text: string, line: number): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    const quote = text.slice(i).search(/[^ \t]/);
    if (quote !== -1 && text[i + quote] === '"') i += quote; // spaces before an opening quote are padding
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new InputError(line, 'unterminated quoted cell');
        if (text[i] === '"' && text[i + 1] === '"') [cell, i] = [`${cell}"`, i + 2];
        else if (text[i] === '"') break;
        else [cell, i] = [cell + text[i], i + 1];
      }
      i += 1;
      if (i < text.length && text[i] !== ',')
        throw new InputError(line, `unexpected text after a quoted cell (column ${cells.length + 1})`);
    } else {
      const end = text.indexOf(',', i);
      cell = text.slice(i, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end;
    }
    cells.push(cell.trim());
    if (i >= text.length) return cells;
    i += 1; // the comma
  }
}

/**
 * A coders × units CSV: first column the coder name, then one column per unit; empty cells are missing. A first row
 * whose first cell is empty or "coder" is a header (unit names) and is skipped. Blank lines are ignored.
 */
async function readCoderCsv(file: string): Promise<CoderRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputError(
      null,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a CSV file'
          : (error as Error).message,
    );
  }
  const rows: CoderRow[] = [];
  let width = -1;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const cells = splitCsvLine(raw, i + 1);
    const first = cells[0] ?? '';
    if (width === -1) {
      width = cells.length;
      if (width < 2) throw new InputError(i + 1, 'expected the coder name followed by at least one unit column');
      if (first === '' || first.toLowerCase() === 'coder') continue;
    }
    if (cells.length !== width)
      throw new InputError(i + 1, `${cells.length} cells, expected ${width} like the first row`);
    if (first === '') throw new InputError(i + 1, 'the coder name (first cell) is empty');
    const twin = rows.find((r) => r.name === first);
    if (twin) throw new InputError(i + 1, `coder "${first}" already appears on line ${twin.line}`);
    rows.push({ name: first, line: i + 1, cells: cells.slice(1) });
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

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  const found = allowed.find((a) => a === value);
  if (found === undefined)
    throw new UsageError(
      `${option}: expected one of ${allowed.join(', ')}${value === undefined ? '' : `, got "${value}"`}`,
    );
  return found;
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

async function compute(
  sub: string,
  args: string[],
): Promise<{ file: string; run: (rows: CoderRow[]) => Outcome; json: boolean }> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { level: { type: 'string' }, weights: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError(`stats ${sub} needs exactly one CSV FILE`);
  const file = positionals[0] ?? '';
  if (sub === 'alpha') {
    if (values.weights !== undefined) throw new UsageError('--weights belongs to stats kappa; alpha takes --level');
    const level: MeasurementLevel = oneOf('--level', values.level, MEASUREMENT_LEVELS);
    return {
      file,
      json: values.json,
      run: (rows) => {
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
      },
    };
  }
  if (values.level !== undefined) throw new UsageError('--level belongs to stats alpha; kappa takes --weights');
  const weights: KappaWeights = oneOf('--weights', values.weights, KAPPA_WEIGHTS, 'none');
  return {
    file,
    json: values.json,
    run: (rows) => {
      if (rows.length !== 2) throw new InputError(null, `kappa needs exactly 2 coder rows, found ${rows.length}`);
      const [a, b] = rows.map((row) => ratings(row, weights === 'none', `--weights ${weights} needs numeric ratings`));
      const r = cohenKappa(a ?? [], b ?? [], { weights });
      const dropped = r.droppedPairs ? `; ${r.droppedPairs} dropped with a missing rating` : '';
      const label = `Cohen's kappa${weights === 'none' ? '' : ` (${weights} weights)`}`;
      return { statistic: 'cohen-kappa', setting: { weights }, label, ...r, detail: `units rated by both${dropped}` };
    },
  };
}

/** `prefdisco stats alpha|kappa …`: exit 0 with a value, 1 when it is undefined (with the reason), 2 on bad input. */
export async function statsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'alpha' && sub !== 'kappa') {
    throw new UsageError(
      sub === undefined ? 'stats needs a statistic: alpha or kappa' : `unknown statistic "${sub}" (alpha or kappa)`,
    );
  }
  const { file, run, json } = await compute(sub, rest);
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
