import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportRejectedError, importBenchmarkFile } from '../../../server/services/benchmark/import-benchmark-file.ts';
import { validateBenchmarkFile } from '../../../server/services/benchmark/validate-benchmark-file.ts';
import type { ValidationReport } from '../../../server/services/benchmark/validation-report.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Storage } from '../../../server/storage/storage.ts';
import { exampleRecord } from '../records.ts';
import type { DbWatch } from './db-watch.ts';
import { caseRef, Fuzz } from './fuzz-random.ts';
import type { FailureKind, FuzzFailure, FuzzRun } from './fuzz-report.ts';

const METADATA = { type: 'metadata', dataset: 'HuggingFaceH4/MATH-500', general_preferences: {}, sample_size: 3 };

/** A valid benchmark file: a metadata line and three records (the reference example's shape). */
export function baseBenchmarkLines(): string[] {
  return [JSON.stringify(METADATA), ...[0, 1, 2].map((i) => JSON.stringify(exampleRecord(i)))];
}

/** Every place in a parsed line where a value can be replaced: [parent, key]. */
function slots(value: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([value as Record<string, unknown>, key]);
      slots((value as Record<string, unknown>)[key], out);
    }
  }
  return out;
}

const DEEP_MARK = 'deep-mark-7f3a';
const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3, 0x28],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
];

/**
 * One to three mutations of a valid benchmark file: truncated lines or file, wrong types, missing and unknown fields,
 * deep nesting, huge strings (past the 5 MB line cap too), invalid UTF-8, BOMs, CRLF and bare CR, empty lines, NUL
 * bytes, duplicated and reordered lines, prototype keys, NaN-like number tokens and lone surrogates.
 */
export function mutateBenchmarkFile(
  fz: Fuzz,
  lines: readonly string[] = baseBenchmarkLines(),
): { bytes: Buffer; label: string } {
  const out = [...lines];
  const labels: string[] = [];
  let sep = '\n';
  let prefix: Buffer = Buffer.alloc(0);
  const rawInserts: { line: number; bytes: Buffer }[] = [];
  const steps = 1 + fz.int(3);
  for (let s = 0; s < steps; s++) {
    const i = fz.int(out.length);
    const line = out[i] ?? '';
    const op = fz.int(16);
    const edit = (fn: (parsed: unknown) => unknown, label: string): void => {
      try {
        out[i] = JSON.stringify(fn(JSON.parse(line) as unknown)) ?? 'null';
        labels.push(`${label} on line ${i + 1}`);
      } catch {
        labels.push(`unparsable line ${i + 1} kept`);
      }
    };
    const atSlot = (parsed: unknown, change: (parent: Record<string, unknown>, key: string) => void): unknown => {
      const all = slots(parsed);
      if (all.length > 0) {
        const [parent, key] = fz.pick(all);
        change(parent, key);
      }
      return parsed;
    };
    switch (op) {
      case 0:
        out[i] = line.slice(0, fz.int(line.length));
        labels.push(`line ${i + 1} truncated`);
        break;
      case 1:
        edit(
          (p) =>
            atSlot(p, (parent, key) => {
              parent[key] = fz.value(1);
            }),
          'wrong type',
        );
        break;
      case 2:
        edit(
          (p) =>
            atSlot(p, (parent, key) => {
              delete parent[key];
            }),
          'field removed',
        );
        break;
      case 3:
        edit(
          (p) =>
            atSlot(p, (parent) => {
              parent[`unknown_${fz.int(9)}`] = fz.value(2);
            }),
          'unknown field',
        );
        break;
      case 4: {
        // Written as text: JSON.stringify itself would overflow the stack on the deepest values.
        const depth = fz.pick([100, 1000, 10_000, 100_000]);
        edit(
          (p) =>
            atSlot(p, (parent, key) => {
              parent[key] = DEEP_MARK;
            }),
          `nesting ${depth} deep`,
        );
        out[i] = (out[i] ?? '').replace(`"${DEEP_MARK}"`, `${'['.repeat(depth)}${']'.repeat(depth)}`);
        break;
      }
      case 5:
        edit(
          (p) =>
            atSlot(p, (parent, key) => {
              parent[key] = 'x'.repeat(fz.pick([100_000, 1_000_000, 5_300_000]));
            }),
          'huge string',
        );
        break;
      case 6:
        rawInserts.push({ line: i, bytes: Buffer.from(fz.pick(INVALID_UTF8)) });
        labels.push(`invalid UTF-8 in line ${i + 1}`);
        break;
      case 7:
        prefix = Buffer.from(fz.chance(0.8) ? '\ufeff' : '\ufeff\ufeff');
        labels.push('BOM');
        break;
      case 8:
        sep = fz.pick(['\r\n', '\r', '\n\n', '\n \n', '\n\t\n']);
        labels.push(`line ends ${JSON.stringify(sep)}`);
        break;
      case 9:
        out.splice(i, 0, fz.pick(['', ' ', '\t', '\u0000', '\ufeff']));
        labels.push(`blank-ish line before ${i + 1}`);
        break;
      case 10:
        out.splice(i, 0, line);
        labels.push(`line ${i + 1} duplicated`);
        break;
      case 11:
        edit(
          (p) =>
            atSlot(p, (parent) => {
              parent.problem_id = fz.pick([exampleRecord(0).problem_id, '', fz.nastyString()]);
            }),
          'problem_id changed',
        );
        break;
      case 12:
        out[i] = line.replace(/"(\w+)":/, '"__proto__":{"polluted":true},"$1":');
        labels.push(`__proto__ key in line ${i + 1}`);
        break;
      case 13:
        out[i] = line.replace(
          /(?<=[:[,])(-?\d+(?:\.\d+)?)(?=[,}\]])/,
          fz.pick(['NaN', 'Infinity', '-Infinity', '1e999', '-0', '99999999999999999999999', '0x10', '01']),
        );
        labels.push(`number token in line ${i + 1}`);
        break;
      case 14:
        out[i] = line.replace(/"([^"\\]{3,})"/, `"\\ud800$1\\udfff"`);
        labels.push(`lone surrogate escapes in line ${i + 1}`);
        break;
      default: {
        const [a, b] = [fz.int(out.length), fz.int(out.length)];
        [out[a], out[b]] = [out[b] ?? '', out[a] ?? ''];
        labels.push(`lines ${a + 1} and ${b + 1} swapped`);
      }
    }
  }
  const parts: Buffer[] = [prefix];
  out.forEach((line, i) => {
    let bytes = Buffer.from(line);
    for (const insert of rawInserts.filter((r) => r.line === i)) {
      const at = fz.int(bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, at), insert.bytes, bytes.subarray(at)]);
    }
    parts.push(bytes, Buffer.from(sep));
  });
  let bytes = Buffer.concat(parts);
  if (fz.chance(0.1)) {
    bytes = bytes.subarray(0, fz.int(bytes.length));
    labels.push('file truncated');
  }
  return { bytes, label: labels.join('; ') };
}

function reportProblems(report: ValidationReport): string[] {
  const problems: string[] = [];
  if (report.valid !== (report.errorCount === 0))
    problems.push(`valid=${report.valid} but errorCount=${report.errorCount}`);
  if (report.errorCount !== report.issues.filter((i) => i.severity === 'error').length)
    problems.push('errorCount does not match the listed errors');
  for (const issue of report.issues) {
    if (
      typeof issue.code !== 'string' ||
      typeof issue.message !== 'string' ||
      !(issue.line === null || Number.isInteger(issue.line))
    )
      problems.push(`malformed issue ${JSON.stringify(issue).slice(0, 200)}`);
  }
  return problems;
}

async function within<T>(ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Mutated benchmark files through `validateBenchmarkFile` and `importBenchmarkFile`: each answer is a report (never a
 * throw), an import either stores the whole file or refuses it with ImportRejectedError or an AppError conflict, and
 * a refused import leaves the database exactly as it was.
 */
export async function fuzzBenchmarkFiles(options: {
  storage: Storage;
  db: DbWatch;
  dir: string;
  seed: number;
  cases: number;
  first?: number;
  timeoutMs?: number;
}): Promise<FuzzRun> {
  const failures: FuzzFailure[] = [];
  const outcomes: Record<string, number> = {};
  const timeoutMs = options.timeoutMs ?? 15_000;
  const started = Date.now();
  const first = options.first ?? 0;
  for (let index = first; index < first + options.cases; index++) {
    const fz = new Fuzz(options.seed, index);
    const { bytes, label } = mutateBenchmarkFile(fz);
    const file = join(options.dir, `fuzz-${index}.jsonl`);
    writeFileSync(file, bytes);
    const fail = (reason: string, kind: FailureKind = 'undefined'): void =>
      void failures.push({
        seed: options.seed,
        index,
        kind,
        what: `benchmark file (${label})`,
        reason: `${reason} [${caseRef(options.seed, index)}]`,
      });

    const report = await within(
      timeoutMs,
      validateBenchmarkFile(file).catch((e: unknown) => e),
    );
    if (report === 'timeout') {
      fail(`validate did not answer within ${timeoutMs} ms`, 'crash');
      continue;
    }
    if (report instanceof Error) {
      fail(`validate threw ${report.name}: ${report.message.slice(0, 200)}`, 'crash');
      continue;
    }
    const problems = reportProblems(report as ValidationReport);
    if (problems.length > 0) fail(problems.join('; '));

    const before = options.db.snapshot();
    const contents = options.db.digest();
    const study = `Fuzz import ${index % 4}`;
    const imported = await within(
      timeoutMs,
      importBenchmarkFile(options.storage, file, { study, skipImages: true }).then(
        (r) => r,
        (e: unknown) => e,
      ),
    );
    if (imported === 'timeout') {
      fail(`import did not answer within ${timeoutMs} ms`, 'crash');
      continue;
    }
    if (imported instanceof ImportRejectedError || imported instanceof AppError) {
      const key = imported instanceof AppError ? `refused: storage ${imported.code}` : 'refused: invalid file';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (imported instanceof ImportRejectedError && imported.report.valid)
        fail('import refused a file its validation accepted');
      // A storage refusal (a conflict) has written and deleted chunks: the contents must be as they were.
      const changed =
        imported instanceof AppError ? options.db.digest() !== contents : options.db.version() !== before.version;
      if (changed)
        fail(
          `refused import changed the database: ${options.db.changedTables(before).join(', ') || 'rows rewritten'}`,
          'partial',
        );
    } else if (imported instanceof Error) {
      fail(`import threw ${imported.name}: ${imported.message.slice(0, 200)}`, 'crash');
    } else {
      outcomes.imported = (outcomes.imported ?? 0) + 1;
      const { outcome, report: r } = imported as Awaited<ReturnType<typeof importBenchmarkFile>>;
      if (!r.valid) fail('imported a file with errors');
      if (outcome.recordsAdded + outcome.recordsUnchanged !== r.recordCount && !outcome.alreadyImported) {
        fail(
          `partial import: ${outcome.recordsAdded} added + ${outcome.recordsUnchanged} unchanged of ${r.recordCount}`,
        );
      }
    }
  }
  return { cases: options.cases, failures, outcomes, ms: Date.now() - started };
}
