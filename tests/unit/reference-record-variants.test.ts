import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { loadModelConfigs, ModelRegistry } from '../../server/models/model-registry.ts';
import { referenceValidate } from '../../server/services/benchmark/reference-validator.ts';
import { validateBenchmarkFile } from '../../server/services/benchmark/validate-benchmark-file.ts';
import { runBatch, type BatchRunOptions } from '../../server/services/evaluation/batch-run.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

/**
 * The eleven record variants the reference's validator accepts and its evaluator runs, which our schema calls errors:
 * `validate` still reports each (as an error), `validate --reference` accepts it, `run` evaluates it with the rest of
 * the file, and `run --strict` refuses the file.
 */

type Mutation = (r: Record<string, unknown> & BenchmarkRecord) => void;
const PREF = 'Honeycomb Analogies';
const prefs = (r: BenchmarkRecord) => r.persona_preferences as Record<string, Record<string, unknown>>;
const criteria = (r: BenchmarkRecord) =>
  r.evaluation_rubric.evaluation_criteria as unknown as Record<string, unknown>[];
const persona = (r: BenchmarkRecord) => r.persona as Record<string, unknown>;

const VARIANTS: [name: string, mutate: Mutation, code: string, path: string][] = [
  [
    'preference type missing',
    (r) => void delete prefs(r)[PREF]?.type,
    'schema',
    `$.persona_preferences["${PREF}"].type`,
  ],
  [
    'value a list',
    (r) => void ((prefs(r)[PREF] as Record<string, unknown>).value = ['comb', 'hive']),
    'schema',
    `$.persona_preferences["${PREF}"].value`,
  ],
  [
    'local_importance "4"',
    (r) => void ((prefs(r)[PREF] as Record<string, unknown>).local_importance = '4'),
    'schema',
    `$.persona_preferences["${PREF}"].local_importance`,
  ],
  [
    'levels missing',
    (r) => void delete criteria(r)[1]?.levels,
    'schema',
    '$.evaluation_rubric.evaluation_criteria[1].levels',
  ],
  [
    'levels a dict',
    (r) => void ((criteria(r)[1] as Record<string, unknown>).levels = { '1': 'none', '5': 'all comb' }),
    'schema',
    '$.evaluation_rubric.evaluation_criteria[1].levels',
  ],
  [
    'level score "1-2"',
    (r) => void ((criteria(r)[1]?.levels as Record<string, unknown>[])[0]!.score = '1-2'),
    'schema',
    '$.evaluation_rubric.evaluation_criteria[1].levels[0].score',
  ],
  [
    'persona age "47"',
    (r) => void ((persona(r).demographics as Record<string, unknown>).age = '47'),
    'schema',
    '$.persona.demographics.age',
  ],
  [
    'Big Five trait as a string',
    (r) => void ((persona(r).personality_big5 as Record<string, unknown>).openness = 'curious'),
    'schema',
    '$.persona.personality_big5.openness',
  ],
  ['persona id missing', (r) => void delete persona(r).id, 'schema', '$.persona.id'],
  [
    'duplicate criterion',
    (r) => void criteria(r).push({ ...criteria(r)[1], weight: 0.1 }),
    'duplicate_criterion',
    '$.evaluation_rubric.evaluation_criteria[3].preference',
  ],
  [
    'preference without a criterion',
    (r) => void criteria(r).splice(2, 1),
    'preference_without_criterion',
    '$.persona_preferences["Notation Density"]',
  ],
];

const dir = tempDir();
const scripted = new ModelRegistry(loadModelConfigs(join(dir, 'absent.json')), () => undefined).get('scripted');
let n = 0;

function options(benchmarkFile: string, over: Partial<BatchRunOptions> = {}): BatchRunOptions {
  return {
    benchmarkFile,
    outFile: join(dir, `results-${++n}.jsonl`),
    models: { assistant: scripted, judge: scripted, simulator: scripted },
    modes: ['no_prompt', 'persona_known'],
    userTypes: ['passive_nostop'],
    maxTurns: 5,
    fixedQuestions: null,
    maxProblems: null,
    seed: 42,
    shard: null,
    concurrency: 2,
    referenceQuirks: false,
    skipImages: true,
    storage: null,
    signal: new AbortController().signal,
    ...over,
  };
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('records the reference runs: reported by validate, run by run, refused by run --strict', () => {
  for (const [name, mutate, code, path] of VARIANTS) {
    it(name, async () => {
      const variant = exampleRecord(1) as Record<string, unknown> & BenchmarkRecord;
      mutate(variant);
      const file = writeFile(dir, `variant-${n}-${code}.jsonl`, jsonl([exampleRecord(0), variant, exampleRecord(2)]));

      const report = await validateBenchmarkFile(file, { skipImages: true });
      expect(report.valid).toBe(false);
      expect(report.issues).toContainEqual(expect.objectContaining({ severity: 'error', code, line: 2, path }));
      expect((await referenceValidate(file, { skipImages: true })).errors).toEqual([]);

      const o = options(file);
      const summary = await runBatch(o);
      expect(summary).toMatchObject({ done: 6, failed: 0, invalidRecords: 0 });
      const ids = lines(o.outFile).map((l) => `${String(l.problem_id)}/${String(l.mode)}`);
      expect(ids).toContain('problem_1_okafor_3fa9c21b/no_prompt');
      expect(ids).toContain('problem_1_okafor_3fa9c21b/persona_known');
      if (name === 'persona id missing')
        expect(lines(o.outFile).find((l) => l.problem_id === 'problem_1_okafor_3fa9c21b')?.persona_id).toBe('unknown');

      await expect(runBatch(options(file, { strict: true }))).rejects.toMatchObject({ name: 'InvalidBenchmarkError' });
    });
  }

  it('a record the reference cannot run is skipped with its reasons in the failures file; the others are evaluated', async () => {
    const orphan = exampleRecord(1);
    criteria(orphan)[0]!.preference = 'No Such Preference';
    const file = writeFile(dir, 'orphan.jsonl', `${jsonl([exampleRecord(0), orphan])}not json\n`);
    const o = options(file, { modes: ['no_prompt'] });
    const summary = await runBatch(o);
    expect(summary).toMatchObject({ done: 1, failed: 0, invalidRecords: 2 });
    const failures = lines(o.outFile.replace(/\.jsonl$/, '_failures.jsonl'));
    expect(failures).toEqual([
      expect.objectContaining({
        problem_id: 'problem_1_okafor_3fa9c21b',
        stage: 'validation',
        code: 'record_not_runnable',
        line: 2,
        reason: expect.stringContaining('"No Such Preference" matches no preference'),
      }),
      expect.objectContaining({ problem_id: null, line: 3, stage: 'validation' }),
    ]);
  });

  it('validate --reference checks only the reference validator rules', async () => {
    const noId = exampleRecord(3) as Record<string, unknown>;
    delete noId.problem_id;
    const empty = exampleRecord(4);
    empty.evaluation_rubric.evaluation_criteria = [];
    const image = exampleRecord(5);
    image.original_problem.image = 'images/absent.png';
    const file = writeFile(
      dir,
      'reference-rules.jsonl',
      jsonl([
        { type: 'metadata', dataset: 'x' },
        exampleRecord(0),
        exampleRecord(0),
        noId,
        empty,
        image,
        { problem_id: 'p' },
      ]),
    );
    const r = await referenceValidate(file);
    expect(r.records).toBe(7);
    expect(r.countsByType).toEqual({ metadata: 1, personalized_problem: 5, missing: 1 });
    expect(r.errors).toEqual([
      "line 3: duplicate problem_id 'problem_0_okafor_3fa9c21b'",
      "line 4: missing ['problem_id']",
      'line 5: empty evaluation rubric',
      `line 6: missing image ${join(dir, 'images/absent.png')}`,
      "line 7: missing ['evaluation_rubric', 'original_problem', 'persona', 'persona_preferences', 'type']",
      'line 7: empty evaluation rubric',
    ]);
    expect((await referenceValidate(file, { skipImages: true })).errors).toHaveLength(5);
  });
});
