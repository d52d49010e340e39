import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planBatch } from '../../server/services/evaluation/batch-plan.ts';
import type { BatchSpec } from '../../server/services/evaluation/batch-spec.ts';
import { exampleRecord } from '../support/records.ts';
import { tempDir } from '../support/temp-files.ts';

/** A batch run limited to a live study's selection plans exactly the selected records, sampled within them. */

const dir = tempDir();
const records = [0, 1, 2, 3, 4, 5].map((i) => exampleRecord(i));
const id = (i: number): string => exampleRecord(i).problem_id;

function spec(over: Partial<BatchSpec> = {}): BatchSpec {
  return {
    benchmarkFile: 'study:test',
    prepared: { records, sha256: 'f'.repeat(64), taskOf: () => 'math' },
    outFile: join(dir, 'run.jsonl'),
    modes: ['no_prompt', 'infer_persona'],
    userTypes: ['passive_nostop'],
    maxTurns: 5,
    fixedQuestions: null,
    maxProblems: null,
    seed: 42,
    shard: null,
    concurrency: 4,
    referenceQuirks: false,
    skipImages: true,
    ...over,
  };
}

const planned = async (over: Partial<BatchSpec>): Promise<string[]> =>
  [...new Set((await planBatch(spec(over))).jobs.map((j) => j.record.problem_id))].sort();

describe('a batch plan limited to problem ids', () => {
  it('plans exactly the selected records, each in every mode', async () => {
    const plan = await planBatch(spec({ problemIds: [id(4), id(1), id(3)] }));
    // The benchmark's order, not the selection's.
    expect(plan.jobs.map((j) => `${j.record.problem_id}/${j.mode}`)).toEqual([
      `${id(1)}/no_prompt`,
      `${id(1)}/infer_persona`,
      `${id(3)}/no_prompt`,
      `${id(3)}/infer_persona`,
      `${id(4)}/no_prompt`,
      `${id(4)}/infer_persona`,
    ]);
  });

  it('plans every record without a selection (null or absent), and ignores ids that name no record', async () => {
    expect(await planned({})).toEqual(records.map((r) => r.problem_id).sort());
    expect(await planned({ problemIds: null })).toEqual(records.map((r) => r.problem_id).sort());
    expect(await planned({ problemIds: [id(2), 'problem_99_nobody'] })).toEqual([id(2)]);
  });

  it('draws a max-problems sample from the selection only', async () => {
    const selection = [id(0), id(2), id(5)];
    const sample = await planned({ problemIds: selection, maxProblems: 2, seed: 7 });
    expect(sample).toHaveLength(2);
    for (const p of sample) expect(selection).toContain(p);
    expect(await planned({ problemIds: selection, maxProblems: 10 })).toEqual([...selection].sort());
  });
});
