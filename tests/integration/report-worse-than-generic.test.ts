import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

// A results file in the reference's line format with scores chosen by hand: `prefdisco report` must print worse than
// generic in both units. Records: A/t1 worse, better, tie; A/t2 worse, worse; B/t1 better, and a record without an
// oracle episode (not paired). Groups: A/t1 means 8/3 vs 8/3 (tie), A/t2 3.25 vs 4 (worse), B/t1 5 vs 1 (better).
const dir = tempDir();

function line(model: string, task: string, problemId: string, mode: string, userType: string, score: number): string {
  return JSON.stringify({
    problem_id: problemId,
    persona_id: 'p',
    mode,
    user_type: userType,
    weighted_score: score,
    correct: 1,
    conversation: [],
    evaluation: { criteria_scores: {}, weighted_score: score, interaction_turns: 0, preferences_expressed: [] },
    timestamp: 1760000000,
    prefdisco_live: { assistant_model: model, task },
  });
}

function record(model: string, task: string, id: string, b: number, o: number | null, d: number): string[] {
  return [
    line(model, task, id, 'no_prompt', 'no_user_interaction', b),
    ...(o === null ? [] : [line(model, task, id, 'persona_known', 'no_user_interaction', o)]),
    line(model, task, id, 'infer_persona', 'passive_nostop', d),
  ];
}

describe('prefdisco report: worse than generic in both units', () => {
  it('prints the share of records and the share of model × task groups, with ties', async () => {
    const file = writeFile(
      dir,
      'results.jsonl',
      [
        ...record('A', 't1', 'p1', 3, 5, 2),
        ...record('A', 't1', 'p2', 3, 5, 4),
        ...record('A', 't1', 'p3', 2, 4, 2),
        ...record('A', 't2', 'q1', 4, 5, 3),
        ...record('A', 't2', 'q2', 4, 5, 3.5),
        ...record('B', 't1', 'p1', 1, 5, 5),
        ...record('B', 't1', 'p2', 2, null, 1),
      ].join('\n') + '\n',
    );
    const text = await runCli(['report', file, '--resamples', '50']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      '  discovery (passive_nostop): records 3 of 6 (50.0%), ties 1; ' +
        'model × task groups (discovery mean below baseline mean) 1 of 3 (33.3%), ties 1',
    );
    const json = await runCli(['report', file, '--resamples', '50', '--json']);
    expect((JSON.parse(json.stdout) as { worseThanGeneric: unknown }).worseThanGeneric).toEqual([
      {
        userType: 'passive_nostop',
        records: { n: 6, worse: 3, ties: 1, better: 2 },
        groups: { n: 3, worse: 1, ties: 1, better: 1 },
      },
    ]);
  }, 90_000); // two CLI processes; slow on a loaded 2-core machine
});
