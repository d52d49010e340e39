import { FORMULA_START } from '../../../shared/csv-formula.ts';
import type { ExportFormat } from '../../../shared/schemas/research.ts';

export type Cell = string | number | boolean | null | readonly unknown[] | Readonly<Record<string, unknown>>;
export type Row = Readonly<Record<string, Cell>>;

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell (RFC 4180): text that could run as a formula gets a leading "'", then quotes where needed. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  // Numbers and booleans are written as they are: a negative number is data, not a formula.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Lines are handed to the response in chunks of about this size: one write per line would be slow for big exports. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Rows as the text of a file: CSV with a header row and CRLF line ends, or JSON Lines (one object per line, nested
 * values kept as JSON). Pulled by the HTTP response as it sends, so an export is never built in memory.
 */
export async function* encodeRows(
  format: ExportFormat,
  columns: readonly string[],
  rows: AsyncIterable<Row>,
): AsyncGenerator<string> {
  let chunk = format === 'csv' ? csvLine(columns) : '';
  for await (const row of rows) {
    chunk +=
      format === 'csv'
        ? csvLine(columns.map((c) => row[c] ?? null))
        : `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
