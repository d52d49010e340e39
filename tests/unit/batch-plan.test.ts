import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { planBatch, resumeFromResults } from '../../server/services/evaluation/batch-plan.ts';
import type { BatchSpec } from '../../server/services/evaluation/batch-spec.ts';
import { exampleRecord } from '../support/records.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
const records = [0, 1, 2].map((i) => exampleRecord(i));

function spec(outFile: string, over: Partial<BatchSpec> = {}): BatchSpec {
  return {
    benchmarkFile: 'study:test',
    prepared: { records, sha256: 'f'.repeat(64), taskOf: () => 'math' },
    outFile,
    modes: ['no_prompt', 'persona_known', 'infer_persona'],
    userTypes: ['passive_nostop', 'collaborative'],
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

const key = (j: { record: { problem_id: string }; mode: string; userType: string }): string =>
  `${j.record.problem_id.slice(0, 9)}/${j.mode}/${j.userType}`;

describe('batch plan and resume', () => {
  it('plans every (record, mode, user type) in the reference order, with the companion files beside the results', async () => {
    const plan = await planBatch(spec(join(dir, 'a', 'run_results.jsonl')));
    expect(plan.jobs.map(key).slice(0, 4)).toEqual([
      'problem_0/no_prompt/no_user_interaction',
      'problem_0/persona_known/no_user_interaction',
      'problem_0/infer_persona/passive_nostop',
      'problem_0/infer_persona/collaborative',
    ]);
    expect(plan.jobs).toHaveLength(12);
    expect(plan.failuresFile).toBe(join(dir, 'a', 'run_results_failures.jsonl'));
    expect(plan.aggregateFile).toBe(join(dir, 'a', 'run_results_aggregate.jsonl'));
    expect(Object.keys(plan.settings)).toEqual([
      'maxTurns',
      'fixedQuestions',
      'modes',
      'userTypes',
      'seed',
      'maxProblems',
      'shard',
      'referenceQuirks',
    ]);
  });

  it('schedules discovery episodes first, each group in plan order, and leaves out what the results file has', async () => {
    const out = join(dir, 'b', 'run_results.jsonl');
    const plan = await planBatch(spec(out));
    const fresh = await resumeFromResults(plan, new ScriptedProvider(SCRIPTED_MODEL), new AbortController().signal);
    expect(fresh.rejudged).toBe(0);
    expect(fresh.todo.map(key)).toEqual([
      ...[0, 1, 2].flatMap((i) => [
        `problem_${i}/infer_persona/passive_nostop`,
        `problem_${i}/infer_persona/collaborative`,
      ]),
      ...[0, 1, 2].flatMap((i) => [
        `problem_${i}/no_prompt/no_user_interaction`,
        `problem_${i}/persona_known/no_user_interaction`,
      ]),
    ]);

    // One job already in the results file, judged (correct is set, so nothing is re-judged).
    const done = {
      problem_id: records[1]?.problem_id,
      persona_id: records[1]?.persona.id,
      mode: 'infer_persona',
      user_type: 'collaborative',
      weighted_score: 3,
      correct: 1,
      conversation: [{ role: 'assistant', content: 'the answer' }],
      evaluation: { criteria_scores: {}, weighted_score: 3, interaction_turns: 2, preferences_expressed: [] },
      timestamp: 1,
    };
    writeFile(join(dir, 'b'), 'run_results.jsonl', `${JSON.stringify(done)}\n`);
    const resumed = await resumeFromResults(plan, new ScriptedProvider(SCRIPTED_MODEL), new AbortController().signal);
    expect(resumed.todo).toHaveLength(11);
    expect(resumed.todo.map(key)).not.toContain('problem_1/infer_persona/collaborative');
    expect(resumed.todo.map(key).slice(0, 3)).toEqual([
      'problem_0/infer_persona/passive_nostop',
      'problem_0/infer_persona/collaborative',
      'problem_1/infer_persona/passive_nostop',
    ]);
  });

  it('refuses a results file with lines that are not results', async () => {
    const out = writeFile(join(dir), 'broken_results.jsonl', '{"not": "a result"}\n');
    const plan = await planBatch(spec(out));
    await expect(
      resumeFromResults(plan, new ScriptedProvider(SCRIPTED_MODEL), new AbortController().signal),
    ).rejects.toMatchObject({ name: 'ResultsFileError' });
  });
});
