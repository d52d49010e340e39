import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../shared/benchmark/issues.ts';
import { validateBenchmarkFile } from '../../server/services/benchmark/validate-benchmark-file.ts';
import { REFERENCE_EXAMPLE_FILE, exampleRecord, referenceExample } from '../support/records.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
const metadata = { type: 'metadata', dataset: 'HuggingFaceH4/MATH-500', general_preferences: {}, sample_size: 1 };

function codes(issues: ValidationIssue[]): string[] {
  return issues.map((i) => `${i.severity}:${i.code}@${i.line}`);
}

describe('validateBenchmarkFile: valid input', () => {
  it('accepts the reference example record exactly as published', async () => {
    const report = await validateBenchmarkFile(REFERENCE_EXAMPLE_FILE);
    expect(report.issues).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.recordCount).toBe(1);
    expect(report.countsByType).toEqual({ personalized_problem: 1 });
  });

  it('counts lines per type, keeps the metadata line, tolerates blank lines, CRLF and a BOM', async () => {
    const text = `\uFEFF${JSON.stringify(metadata)}\r\n\r\n${JSON.stringify(exampleRecord(0))}\r\n${JSON.stringify(exampleRecord(1))}`;
    const report = await validateBenchmarkFile(writeFile(dir, 'crlf.jsonl', text), { collect: true });
    expect(report.valid).toBe(true);
    expect(report.countsByType).toEqual({ metadata: 1, personalized_problem: 2 });
    expect(report.metadata?.dataset).toBe('HuggingFaceH4/MATH-500');
    expect(report.recordLines).toEqual([3, 4]);
  });

  it('keeps unknown fields of a record when collecting', async () => {
    const record = { ...exampleRecord(0), future_field: { nested: [1, 2] } };
    const report = await validateBenchmarkFile(writeFile(dir, 'extra.jsonl', jsonl([record])), { collect: true });
    expect(report.valid).toBe(true);
    expect(report.records[0]).toEqual(record);
    expect(Object.keys(report.records[0] ?? {})).toEqual(Object.keys(record));
  });
});

describe('validateBenchmarkFile: one test per error class', () => {
  it('malformed JSON names the line', async () => {
    const file = writeFile(
      dir,
      'bad-json.jsonl',
      `${JSON.stringify(exampleRecord(0))}\n{"type": "personalized_problem",\n`,
    );
    const report = await validateBenchmarkFile(file);
    expect(report.valid).toBe(false);
    expect(codes(report.issues)).toEqual(['error:invalid_json@2']);
  });

  it('a line nested deeper than 100 levels (found by fuzzing: importing one overflowed the stack)', async () => {
    const deep = JSON.stringify({ ...exampleRecord(0), extra: 'DEEP' }).replace(
      '"DEEP"',
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    );
    const report = await validateBenchmarkFile(
      writeFile(dir, 'deep.jsonl', `${JSON.stringify(exampleRecord(1))}\n${deep}\n`),
    );
    expect(codes(report.issues)).toEqual(['error:invalid_json@2']);
    expect(report.issues[0]?.message).toBe('nested deeper than 100 levels');
    expect(report.issues[0]?.path).toMatch(/^\$\.extra(\[0\]){99}$/);
  });

  it('a line that is JSON but not an object', async () => {
    const report = await validateBenchmarkFile(
      writeFile(dir, 'array.jsonl', `[1,2]\n${JSON.stringify(exampleRecord(0))}\n`),
    );
    expect(codes(report.issues)).toEqual(['error:not_an_object@1']);
  });

  it('a missing type', async () => {
    const { type: _type, ...untyped } = exampleRecord(0);
    const report = await validateBenchmarkFile(writeFile(dir, 'untyped.jsonl', jsonl([exampleRecord(1), untyped])));
    expect(codes(report.issues)).toEqual(['error:missing_type@2']);
  });

  it('an unknown type is a warning (the evaluator ignores it), not an error', async () => {
    const report = await validateBenchmarkFile(
      writeFile(dir, 'other.jsonl', jsonl([{ type: 'comment' }, exampleRecord(0)])),
    );
    expect(report.valid).toBe(true);
    expect(codes(report.issues)).toEqual(['warning:unknown_type@1']);
  });

  it('missing required fields, with their JSON paths', async () => {
    const { persona_preferences: _p, ...partial } = exampleRecord(0);
    const report = await validateBenchmarkFile(writeFile(dir, 'missing.jsonl', jsonl([partial])));
    expect(report.valid).toBe(false);
    expect(report.issues.map((i) => [i.code, i.line, i.path])).toContainEqual(['schema', 1, '$.persona_preferences']);
  });

  it('wrong types, with the path to the field', async () => {
    const record = exampleRecord(0);
    (record.persona_preferences['Honeycomb Analogies'] as Record<string, unknown>).local_importance = 'high';
    const report = await validateBenchmarkFile(writeFile(dir, 'wrong-type.jsonl', jsonl([record])));
    expect(report.issues.map((i) => [i.code, i.line, i.path])).toEqual([
      ['schema', 1, '$.persona_preferences["Honeycomb Analogies"].local_importance'],
    ]);
  });

  it('importance out of range', async () => {
    const record = exampleRecord(0);
    (record.persona_preferences['Notation Density'] as Record<string, unknown>).local_importance = 7;
    const report = await validateBenchmarkFile(writeFile(dir, 'importance.jsonl', jsonl([record])));
    expect(report.issues.map((i) => i.path)).toEqual(['$.persona_preferences["Notation Density"].local_importance']);
    expect(report.issues[0]?.message).toMatch(/5/);
  });

  it('a level score out of range', async () => {
    const record = exampleRecord(0);
    const level = record.evaluation_rubric.evaluation_criteria[1]?.levels[2];
    if (level) level.score = 6;
    const report = await validateBenchmarkFile(writeFile(dir, 'score.jsonl', jsonl([record])));
    expect(report.issues.map((i) => i.path)).toEqual(['$.evaluation_rubric.evaluation_criteria[1].levels[2].score']);
  });

  it('an empty rubric', async () => {
    const record = exampleRecord(0);
    record.evaluation_rubric.evaluation_criteria = [];
    const report = await validateBenchmarkFile(writeFile(dir, 'empty-rubric.jsonl', jsonl([record])));
    expect(report.issues.map((i) => [i.code, i.path])).toContainEqual([
      'schema',
      '$.evaluation_rubric.evaluation_criteria',
    ]);
  });

  it('a duplicate problem_id names both lines', async () => {
    const report = await validateBenchmarkFile(
      writeFile(dir, 'dup.jsonl', jsonl([metadata, exampleRecord(0), exampleRecord(1), exampleRecord(0)])),
    );
    expect(codes(report.issues)).toEqual(['error:duplicate_problem_id@4']);
    expect(report.issues[0]?.message).toContain('line 2');
  });

  it('a criterion without a matching preference', async () => {
    const record = exampleRecord(0);
    const criterion = record.evaluation_rubric.evaluation_criteria[0];
    if (criterion) criterion.preference = 'Comfort with Polygons';
    const report = await validateBenchmarkFile(writeFile(dir, 'orphan-criterion.jsonl', jsonl([record])));
    expect(report.issues.map((i) => i.code).sort()).toEqual([
      'criterion_without_preference',
      'preference_without_criterion',
    ]);
    expect(report.issues.find((i) => i.code === 'criterion_without_preference')?.path).toBe(
      '$.evaluation_rubric.evaluation_criteria[0].preference',
    );
  });

  it('a preference without a criterion', async () => {
    const record = exampleRecord(0);
    record.evaluation_rubric.evaluation_criteria.pop();
    const report = await validateBenchmarkFile(writeFile(dir, 'orphan-pref.jsonl', jsonl([record])));
    expect(codes(report.issues)).toContain('error:preference_without_criterion@1');
    expect(report.issues.find((i) => i.code === 'preference_without_criterion')?.path).toBe(
      '$.persona_preferences["Notation Density"]',
    );
  });

  it('two criteria for one preference', async () => {
    const record = exampleRecord(0);
    const first = record.evaluation_rubric.evaluation_criteria[0];
    if (first) record.evaluation_rubric.evaluation_criteria.push({ ...first, weight: 0 });
    const report = await validateBenchmarkFile(writeFile(dir, 'dup-criterion.jsonl', jsonl([record])));
    expect(codes(report.issues)).toEqual(['error:duplicate_criterion@1']);
  });

  it('weights not summing to 1 ± 0.05 is a warning', async () => {
    const record = exampleRecord(0);
    const criterion = record.evaluation_rubric.evaluation_criteria[0];
    if (criterion) criterion.weight = 0.5;
    const report = await validateBenchmarkFile(writeFile(dir, 'weights.jsonl', jsonl([record])));
    expect(report.valid).toBe(true);
    expect(codes(report.issues)).toEqual(['warning:weights_sum@1']);
    expect(report.issues[0]?.message).toContain('1.137');
  });

  it('a missing image file, and --skip-images', async () => {
    const record = exampleRecord(0);
    record.original_problem.image = 'images/problem_0_image.png';
    const file = writeFile(dir, 'image.jsonl', jsonl([record]));
    expect(codes((await validateBenchmarkFile(file)).issues)).toEqual(['error:missing_image@1']);
    expect((await validateBenchmarkFile(file, { skipImages: true })).valid).toBe(true);
    mkdirSync(join(dir, 'images'), { recursive: true });
    writeFile(dir, 'images/problem_0_image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect((await validateBenchmarkFile(file)).valid).toBe(true);
  });

  it('an image given as a URL is not looked up on disk', async () => {
    const record = exampleRecord(0);
    record.original_problem.image = 'https://example.org/x.png';
    expect((await validateBenchmarkFile(writeFile(dir, 'image-url.jsonl', jsonl([record])))).valid).toBe(true);
  });

  it('a line over the size limit is reported, not parsed', async () => {
    const big = JSON.stringify({ ...exampleRecord(1), padding: 'x'.repeat(20_000) });
    const file = writeFile(
      dir,
      'huge.jsonl',
      `${JSON.stringify(exampleRecord(0))}\n${big}\n${JSON.stringify(exampleRecord(2))}\n`,
    );
    const report = await validateBenchmarkFile(file, { maxLineBytes: 12_000 });
    expect(codes(report.issues)).toEqual(['error:line_too_long@2']);
    expect(report.lineCount).toBe(3);
  });

  it('a real 5 MB+ line is rejected with the default limit', async () => {
    const big = `{"type":"personalized_problem","x":"${'y'.repeat(5 * 1024 * 1024)}"}`;
    const report = await validateBenchmarkFile(
      writeFile(dir, 'huge5.jsonl', `${big}\n${JSON.stringify(exampleRecord(0))}\n`),
    );
    expect(codes(report.issues)).toEqual(['error:line_too_long@1']);
  });

  it('non-UTF-8 bytes name the line and the offset', async () => {
    const good = Buffer.from(`${JSON.stringify(exampleRecord(0))}\n`);
    const bad = Buffer.concat([
      Buffer.from('{"type":"metadata","dataset":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    const report = await validateBenchmarkFile(writeFile(dir, 'latin1.jsonl', Buffer.concat([good, bad])));
    expect(codes(report.issues)).toEqual(['error:not_utf8@2']);
    expect(report.issues[0]?.message).toContain('offset 33');
  });

  it('an empty file', async () => {
    const report = await validateBenchmarkFile(writeFile(dir, 'empty.jsonl', ''));
    expect(codes(report.issues)).toEqual(['error:empty_file@null']);
  });

  it('a file with no records', async () => {
    const report = await validateBenchmarkFile(writeFile(dir, 'meta-only.jsonl', jsonl([metadata])));
    expect(codes(report.issues)).toEqual(['error:no_records@null']);
  });

  it('a directory instead of a file', async () => {
    const report = await validateBenchmarkFile(dir);
    expect(report.issues.map((i) => [i.code, i.message])).toEqual([
      ['unreadable_file', 'is a directory, not a benchmark file'],
    ]);
  });

  it('a file that does not exist', async () => {
    const report = await validateBenchmarkFile(join(dir, 'nope.jsonl'));
    expect(report.issues.map((i) => [i.code, i.message])).toEqual([['unreadable_file', 'no such file']]);
  });

  it('a problem_id that does not end in the persona id is a warning', async () => {
    const record = referenceExample();
    record.problem_id = 'problem_17_someone_else';
    const report = await validateBenchmarkFile(writeFile(dir, 'mismatch.jsonl', jsonl([record])));
    expect(codes(report.issues)).toEqual(['warning:problem_id_mismatch@1']);
  });

  it('reports every bad line in one run, and collects nothing from an invalid file', async () => {
    const broken = exampleRecord(1) as unknown as Record<string, unknown>;
    broken.persona = 'nobody';
    const file = writeFile(
      dir,
      'many.jsonl',
      `not json\n${JSON.stringify(exampleRecord(0))}\n${JSON.stringify(broken)}\n`,
    );
    const report = await validateBenchmarkFile(file, { collect: true });
    expect(codes(report.issues)).toEqual(['error:invalid_json@1', 'error:schema@3']);
    expect(report.records).toEqual([]);
  });
});
