/**
 * A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes, `""` for a quote inside a quoted
 * field, line breaks (LF or CRLF) allowed inside quoted fields. Written here rather than taken from npm because source
 * files are small and we need each record's starting line for error messages, which generic parsers rarely report.
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

export function parseCsv(text: string): CsvParseResult {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let broken: string | null = null;
    for (;;) {
      if (i >= s.length) {
        fields.push(field);
        break;
      }
      const ch = s[i] as string;
      if (quoted) {
        if (ch === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i += 1;
            const next = s[i];
            if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r' && broken === null) {
              broken = `text after a closing quote in field ${fields.length + 1}`;
            }
          }
          continue;
        }
        if (ch === '\n') line += 1;
        field += ch;
        i += 1;
        continue;
      }
      if (ch === '"' && field === '') {
        quoted = true;
        i += 1;
        continue;
      }
      if (ch === ',') {
        fields.push(field);
        field = '';
        i += 1;
        continue;
      }
      if (ch === '\r' && s[i + 1] === '\n') i += 1;
      if (ch === '\n' || ch === '\r') {
        fields.push(field);
        i += 1;
        line += 1;
        break;
      }
      field += ch;
      i += 1;
    }
    if (quoted) {
      problems.push({ line: start, message: 'a quoted field is never closed (missing ")' });
      break;
    }
    if (broken !== null) {
      problems.push({ line: start, message: broken });
      continue;
    }
    // A line with nothing on it separates nothing; it is not a row with one empty field.
    if (fields.length === 1 && fields[0] === '') continue;
    records.push({ line: start, fields });
  }
  return { records, problems };
}
