import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFileError, parseCsv, readCsvFile } from '../../server/services/csv/read-csv.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();

describe('parseCsv (csv-parse underneath)', () => {
  it('accepts LF, CRLF and CR line ends in one file, and keeps each record’s first line', () => {
    expect(parseCsv('a,b\r\n1,2\n3,"x\r\ny"\r5,6').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', 'x\r\ny'] },
      { line: 5, fields: ['5', '6'] },
    ]);
  });

  it('reports a malformed record at the line it starts on (past blank lines) and reads on after it', () => {
    const { records, problems } = parseCsv('a,b\n\n\n"x\ny"z,1\n\n2,3\n4,"q"r\n5,6\n');
    expect(problems).toEqual([
      { line: 4, message: 'text after a closing quote in field 1' },
      { line: 8, message: 'text after a closing quote in field 2' },
    ]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 7, fields: ['2', '3'] },
      { line: 9, fields: ['5', '6'] },
    ]);
  });

  it('a quote inside an unquoted field is malformed (RFC 4180), with advice', () => {
    const { records, problems } = parseCsv('a,b\n1,5" screen\n2,3\n');
    expect(problems).toEqual([
      { line: 2, message: 'a quote inside an unquoted field (field 2); quote the whole field and double the quote' },
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
  });

  it('keeps spaces by default; trim drops them around fields and quotes, and skips whitespace-only lines', () => {
    expect(parseCsv(' a , b \n').records[0]?.fields).toEqual([' a ', ' b ']);
    expect(parseCsv('coder, "x, y" ,  3 \n  \t\nB,"  kept inside  ",4\n', { trim: true }).records).toEqual([
      { line: 1, fields: ['coder', 'x, y', '3'] },
      { line: 3, fields: ['B', '  kept inside  ', '4'] },
    ]);
  });
});

describe('readCsvFile', () => {
  it('reads a file; a missing file, a directory or bytes that are not UTF-8 are errors naming the file', async () => {
    const file = writeFile(dir, 'ok.csv', '\uFEFFq,a\nwhat,42\n');
    expect((await readCsvFile(file)).records).toEqual([
      { line: 1, fields: ['q', 'a'] },
      { line: 2, fields: ['what', '42'] },
    ]);
    const missing = join(dir, 'missing.csv');
    await expect(readCsvFile(missing)).rejects.toThrow(new CsvFileError(missing, null, 'no such file'));
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    await expect(readCsvFile(folder)).rejects.toThrow(`${folder}: is a directory, not a CSV file`);
    const latin1 = writeFile(dir, 'latin1.csv', Buffer.from([0x71, 0x2c, 0x61, 0x0a, 0xe9, 0x2c, 0x31, 0x0a]));
    await expect(readCsvFile(latin1)).rejects.toThrow(`${latin1}: not valid UTF-8; save the file as UTF-8`);
  });
});
