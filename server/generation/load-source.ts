import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SourceConfig } from '../../shared/schemas/generation-config.ts';
import { parseCsv } from '../services/csv/read-csv.ts';
import { describeError } from '../../shared/errors.ts';
import { toOriginalProblem } from './source-shapes.ts';

/** One usable source row, as the `original_problem` of its records. */
export interface SourceProblem {
  /** 1-based line where the row starts in the source file. */
  line: number;
  problem: Record<string, unknown>;
}

/** A row that was skipped, and why; every one is reported, never dropped silently. */
export interface SkippedRow {
  line: number;
  reason: string;
}

export interface LoadedSource {
  file: string;
  format: 'jsonl' | 'csv';
  /** SHA-256 of the file: a resumed run refuses a source that changed under it. */
  sha256: string;
  rows: number;
  problems: SourceProblem[];
  skipped: SkippedRow[];
}

export class SourceFileError extends Error {
  override name = 'SourceFileError';
}

export function formatOf(file: string, declared: SourceConfig['format']): 'jsonl' | 'csv' {
  if (declared) return declared;
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.jsonl?$/i.test(file)) return 'jsonl';
  throw new SourceFileError(
    `${file}: cannot tell the format from the extension; set source.format to "jsonl" or "csv"`,
  );
}

interface RawRow {
  line: number;
  row: Record<string, unknown>;
}

function jsonlRows(text: string, skipped: SkippedRow[]): RawRow[] {
  const rows: RawRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        skipped.push({
          line: i + 1,
          reason: `not valid JSON (${describeError(error)})`,
        });
        return;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        skipped.push({ line: i + 1, reason: 'not a JSON object' });
        return;
      }
      rows.push({ line: i + 1, row: value as Record<string, unknown> });
    });
  return rows;
}

function csvRows(file: string, text: string, skipped: SkippedRow[]): RawRow[] {
  const { records, problems } = parseCsv(text);
  for (const p of problems) skipped.push({ line: p.line, reason: `malformed CSV: ${p.message}` });
  const [header, ...body] = records;
  if (!header) throw new SourceFileError(`${file}: the CSV file has no header row`);
  const columns = header.fields.map((c) => c.trim());
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined)
    throw new SourceFileError(`${file}:${header.line}: the header names column "${duplicate}" twice`);
  const rows: RawRow[] = [];
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      skipped.push({
        line: record.line,
        reason: `has ${record.fields.length} fields, the header has ${columns.length}`,
      });
      continue;
    }
    rows.push({ line: record.line, row: Object.fromEntries(columns.map((c, i) => [c, record.fields[i] ?? ''])) });
  }
  return rows;
}

/** Reads the whole source and turns each row into an `original_problem` of the configured shape. */
export async function loadSource(file: string, source: SourceConfig): Promise<LoadedSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceFileError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read the source file (${code ?? 'error'})`}`,
    );
  }
  const format = formatOf(file, source.format);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SourceFileError(`${file}: not valid UTF-8; export the dataset as UTF-8`);
  }
  const skipped: SkippedRow[] = [];
  const raw = format === 'csv' ? csvRows(file, text, skipped) : jsonlRows(text, skipped);
  const problems: SourceProblem[] = [];
  for (const { line, row } of raw) {
    const result = toOriginalProblem(row, source);
    if (result.ok) problems.push({ line, problem: result.problem });
    else skipped.push({ line, reason: result.reason });
  }
  skipped.sort((a, b) => a.line - b.line);
  return {
    file,
    format,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    rows: problems.length + skipped.length,
    problems,
    skipped,
  };
}
