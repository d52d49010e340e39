import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { REFERENCE_EXAMPLE_FILE, exampleRecord } from '../support/records.ts';
import { runCli } from '../support/run-cli.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');

function tableCounts(dbFile: string): Record<string, number> {
  const db = new Database(dbFile, { readonly: true });
  const counts = Object.fromEntries(
    ['studies', 'benchmark_files', 'records', 'personas', 'rubric_criteria'].map((t) => [
      t,
      db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number,
    ]),
  );
  db.close();
  return counts;
}

describe('prefdisco validate', () => {
  it('passes the shipped sample and the reference example, exit 0, with counts per type', async () => {
    const r = await runCli(['validate', SAMPLE, REFERENCE_EXAMPLE_FILE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'sample-benchmark.jsonl: valid: 64 records (metadata: 1, personalized_problem: 64); 0 errors, 0 warnings',
    );
    expect(r.stdout).toContain(
      'reference-example.jsonl: valid: 1 record (personalized_problem: 1); 0 errors, 0 warnings',
    );
    expect(r.stdout).toContain('2 files: 2 valid, 0 invalid');
  });

  it('fails a broken file with exit 1 and line-numbered messages', async () => {
    const broken = exampleRecord(1);
    broken.evaluation_rubric.evaluation_criteria[0]!.preference = 'Nope';
    const file = writeFile(
      dir,
      'broken.jsonl',
      `${JSON.stringify(exampleRecord(0))}\n{oops\n${JSON.stringify(broken)}\n`,
    );
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:2: error[invalid_json]: not valid JSON`);
    expect(r.stdout).toContain(
      `${file}:3: error[criterion_without_preference] $.evaluation_rubric.evaluation_criteria[0].preference: criterion "Nope" matches no key of persona_preferences`,
    );
    expect(r.stdout).toMatch(/INVALID: 2 records .* 3 errors, 0 warnings/);
    expect(r.stderr).toBe('');
  });

  it('--json prints a machine-readable report', async () => {
    const file = writeFile(dir, 'json.jsonl', jsonl([exampleRecord(0), exampleRecord(0)]));
    const r = await runCli(['validate', '--json', file]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { valid: boolean; files: { issues: { code: string; line: number }[] }[] };
    expect(report.valid).toBe(false);
    expect(report.files[0]?.issues).toEqual([expect.objectContaining({ code: 'duplicate_problem_id', line: 2 })]);
  });

  it('a directory and a missing file are clear errors, not stack traces', async () => {
    const r = await runCli(['validate', dir, join(dir, 'missing.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${dir}: error[unreadable_file]: is a directory, not a benchmark file`);
    expect(r.stdout).toContain('missing.jsonl: error[unreadable_file]: no such file');
    expect(r.stdout + r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['validate'])).code).toBe(2);
    expect((await runCli(['validate', '--bogus', SAMPLE])).code).toBe(2);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['help'])).code).toBe(0);
  });
});

describe('prefdisco import', () => {
  it('stores records, personas and rubrics; importing the same file twice changes nothing', async () => {
    const db = join(dir, 'import.sqlite');
    const first = await runCli(['import', SAMPLE, '--study', 'Pilot', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'imported into study "Pilot" (new study): 64 records added, 0 unchanged, 30 personas and',
    );
    const after = tableCounts(db);
    expect(after).toMatchObject({ studies: 1, benchmark_files: 1, records: 64, personas: 30 });
    expect(after.rubric_criteria).toBeGreaterThanOrEqual(64 * 8);

    const second = await runCli(['import', SAMPLE, '--study', 'Pilot', '--db', db]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already imported into study "Pilot"; nothing changed (64 records)');
    expect(tableCounts(db)).toEqual(after);
  });

  it('an invalid file is rejected whole: exit 1, the errors, and nothing stored', async () => {
    const db = join(dir, 'reject.sqlite');
    const bad = exampleRecord(1) as unknown as Record<string, unknown>;
    delete bad.evaluation_rubric;
    const file = writeFile(dir, 'half-bad.jsonl', jsonl([exampleRecord(0), bad]));
    const r = await runCli(['import', file, '--study', 'Half', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2: error[schema] $.evaluation_rubric:`);
    expect(r.stderr).toContain('nothing was stored');
    expect(tableCounts(db)).toMatchObject({ studies: 0, records: 0, personas: 0 });
  });

  it('PREFDISCO_DB chooses the database; a missing --study is a usage error', async () => {
    const db = join(dir, 'env.sqlite');
    expect((await runCli(['import', REFERENCE_EXAMPLE_FILE, '--study', 'Env'], { PREFDISCO_DB: db })).code).toBe(0);
    expect(tableCounts(db)).toMatchObject({ studies: 1, records: 1 });
    const r = await runCli(['import', REFERENCE_EXAMPLE_FILE, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('import needs --study NAME');
  });
});
