import { readFile } from 'node:fs/promises';
import { CsvError, parse, type Options } from 'csv-parse/sync';

/**
 * The one CSV reader (generation sources, agreement-statistics input), on csv-parse. The dialect is RFC 4180: comma
 * separated, a field may be in double quotes with `""` for a quote inside, and a quoted field may span lines; LF, CRLF
 * and CR all end a record, a byte-order mark is dropped, and empty lines are skipped. What we add around the library:
 * the line each record starts on (error messages cite it), and reading on after a malformed record, so one bad row is
 * reported and skipped instead of hiding the rest of the file.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts (a quoted field may span several lines). */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvParseResult {
  records: CsvRecord[];
  problems: CsvProblem[];
}

export interface CsvReadOptions {
  /** Drop spaces and tabs around every field, also outside its quotes, and skip whitespace-only lines. */
  trim?: boolean;
}

/** A CSV file that cannot be read at all; the message names the file (and the line when there is one). */
export class CsvFileError extends Error {
  override name = 'CsvFileError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${reason}`);
  }
}

const LINE_BREAK = /\r\n|\n|\r/g;

function countLineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** With csv-parse's `raw` option each record comes as { record, raw }. */
function isRawRecord(entry: unknown): entry is { record: string[]; raw: string } {
  if (typeof entry !== 'object' || entry === null) return false;
  const { record, raw } = entry as { record?: unknown; raw?: unknown };
  return Array.isArray(record) && record.every((f) => typeof f === 'string') && typeof raw === 'string';
}

/** The offset at which each line starts. */
function lineStarts(text: string): number[] {
  return [0, ...[...text.matchAll(LINE_BREAK)].map((m) => m.index + m[0].length)];
}

function problemMessage(error: CsvError): string {
  const field = typeof error.column === 'number' ? error.column + 1 : null;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (missing ")';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `text after a closing quote in field ${field ?? '?'}`;
    case 'INVALID_OPENING_QUOTE': // csv-parse 6 spells this one code without the CSV_ prefix
      return `a quote inside an unquoted field (field ${field ?? '?'}); quote the whole field and double the quote`;
    default:
      return error.message;
  }
}

/** Parses CSV text into records with their starting lines; malformed records become problems at their line. */
export function parseCsv(text: string, options: CsvReadOptions = {}): CsvParseResult {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const starts = lineStarts(body);
  // Empty lines (with trim also whitespace-only ones) are skipped, but their text leads the next record's raw text.
  const blankLines = options.trim ? /^(?:[ \t]*(?:\r\n|\n|\r))*/ : /^(?:\r\n|\n|\r)*/;
  const startOf = (raw: string): number => line + countLineBreaks(blankLines.exec(raw)?.[0] ?? '');
  // The line where the text after the last record starts. Lines are counted here from each record's raw text, not
  // taken from csv-parse, which counts a CRLF inside a quoted field as two lines.
  let line = 1;
  const settings: Options = {
    relax_column_count: true, // callers compare each record's width with the header and say what is wrong
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    trim: options.trim ?? false,
    raw: true,
    on_record: (entry: unknown) => {
      if (!isRawRecord(entry)) throw new TypeError('csv-parse returned a record without its raw text');
      records.push({ line: startOf(entry.raw), fields: entry.record });
      line += countLineBreaks(entry.raw);
      return null;
    },
  };
  for (;;) {
    try {
      parse(body.slice(starts[line - 1] ?? body.length), settings);
      return { records, problems };
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      // The text of the malformed record up to the character csv-parse stopped at.
      const raw = typeof error.raw === 'string' ? error.raw : '';
      problems.push({ line: startOf(raw), message: problemMessage(error) });
      // An unclosed quote swallows the rest of the file, so there is nothing after it to read.
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') return { records, problems };
      line += countLineBreaks(raw) + 1; // go on with the line after the one with the mistake
    }
  }
}

/** Reads and parses a UTF-8 CSV file; a file that cannot be read is a CsvFileError naming it. */
export async function readCsvFile(file: string, options: CsvReadOptions = {}): Promise<CsvParseResult> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a CSV file'
          : error instanceof TypeError
            ? 'not valid UTF-8; save the file as UTF-8'
            : `cannot read the file (${code ?? 'error'})`;
    throw new CsvFileError(file, null, reason);
  }
  return parseCsv(text, options);
}
