import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

/**
 * A file the reference runs, through the real bin: validate reports the record our schema rejects, validate
 * --reference accepts the file, run evaluates every record (skipping only what the reference could not run, with the
 * reason in the failures file) and run --strict refuses the file.
 */
const dir = tempDir();

const listValue = exampleRecord(1);
(listValue.persona_preferences['Honeycomb Analogies'] as Record<string, unknown>).value = ['comb', 'hive'];
const orphan = exampleRecord(2);
(orphan.evaluation_rubric.evaluation_criteria[0] as Record<string, unknown>).preference = 'Nowhere';
const FILE = writeFile(dir, 'bench.jsonl', jsonl([exampleRecord(0), listValue, orphan]));

const run = (out: string, ...extra: string[]) =>
  runCli([
    'run',
    FILE,
    '--model',
    'scripted',
    '--judge',
    'scripted',
    '--modes',
    'no_prompt',
    '--skip-images',
    '--no-db',
    '--out',
    join(dir, out),
    ...extra,
  ]);

describe('prefdisco validate / run on a file the reference runs', () => {
  it('validate reports the errors; validate --reference accepts the file', async () => {
    const strict = await runCli(['validate', FILE, '--skip-images']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`${FILE}:2: error[schema] $.persona_preferences["Honeycomb Analogies"].value`);
    expect(strict.stdout).toContain(`${FILE}:3: error[criterion_without_preference]`);

    const reference = await runCli(['validate', '--reference', FILE, '--skip-images']);
    expect(reference.code).toBe(0);
    expect(reference.stdout).toContain('records: 3; types: personalized_problem=3');
    expect(reference.stdout).toContain('the reference validator accepts this file');
  }, 120_000);

  it('run evaluates the records the reference could and lists the one it could not; --strict refuses the file', async () => {
    const tolerant = await run('results.jsonl');
    expect(tolerant.stdout).toContain('finished: 2 episodes done, 0 failed');
    expect(tolerant.stdout).toContain('1 benchmark lines could not be evaluated and were skipped');
    expect(tolerant.code).toBe(1);
    const done = readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(done.map((l) => (JSON.parse(l) as { problem_id: string }).problem_id).sort()).toEqual([
      'problem_0_okafor_3fa9c21b',
      'problem_1_okafor_3fa9c21b',
    ]);
    const failures = readFileSync(join(dir, 'results_failures.jsonl'), 'utf8').trim().split('\n');
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0] ?? '{}')).toMatchObject({
      problem_id: 'problem_2_okafor_3fa9c21b',
      line: 3,
      code: 'record_not_runnable',
      reason: expect.stringContaining('"Nowhere" matches no preference'),
    });

    const strict = await run('strict.jsonl', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('the benchmark file is invalid');
  }, 180_000);
});
