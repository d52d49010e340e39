import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../../shared/schemas/api-results.ts';
import { computeMetrics, type MetricRow } from '../../shared/stats/index.ts';
import { coverageText, resultRows } from '../../client/src/features/research/results/result-rows.ts';
import { blankForm, toBody } from '../../client/src/features/research/runs/run-form-model.ts';

/** The console's reading of record coverage: n and episodes per row, and the warning when rows cover different records. */

const row = (problemId: string, mode: MetricRow['mode'], userType: string): MetricRow => ({
  model: 'm',
  task: 'math',
  problemId,
  mode,
  userType,
  score: 3,
  correct: 1,
  turns: 0,
});

function results(coverage: Partial<StudyResults['coverage']>): StudyResults {
  const metrics = computeMetrics(
    [
      row('p1', 'no_prompt', 'no_user_interaction'),
      row('p2', 'no_prompt', 'no_user_interaction'),
      row('p1', 'infer_persona', 'human'),
    ],
    { resamples: 10 },
  );
  const none = { running: 0, completed: 0, failed: 0, aborted: 0 };
  return {
    metrics,
    episodes: { batch: none, live: none, twin: none },
    failed: 0,
    testModels: [],
    coverage: {
      bySource: { batch: 2, live: 1, twin: 0 },
      union: 2,
      common: 1,
      sameRecords: false,
      rows: [
        { model: 'm', task: '*', condition: 'discovery', userType: 'human', episodes: 3, records: 1 },
        { model: 'm', task: '*', condition: 'baseline', userType: 'no_user_interaction', episodes: 2, records: 2 },
      ],
      ...coverage,
    },
  };
}

describe('results rows and record coverage', () => {
  it('give each row its episodes and records, matched by model, task, condition and user type', () => {
    const rows = resultRows(results({}), '*');
    expect(rows.map((r) => [r.user, r.metrics.n, r.coverage])).toEqual([
      ['—', 2, { episodes: 2, records: 2 }],
      ['human (persona actor)', 1, { episodes: 3, records: 1 }],
    ]);
    // Per-task rows have no coverage entry here: the table then shows n alone.
    expect(resultRows(results({}), 'math').every((r) => r.coverage === null)).toBe(true);
  });

  it('say when rows cover different records, per source, and nothing when they cover the same', () => {
    expect(coverageText(results({}))).toBe(
      'Rows cover different records — live sessions (people): 1, batch runs: 2; 2 records in all, 1 in common to every row.',
    );
    expect(coverageText(results({ union: 2, common: 2 }))).toBeNull();
  });
});

describe('the run form', () => {
  it('asks for the live study’s selection only when the box is ticked', () => {
    const form = { ...blankForm, model: 'scripted', judge: 'scripted' };
    expect(toBody(form)).not.toHaveProperty('records');
    expect(toBody({ ...form, studySelection: true }).records).toBe('study-selection');
  });
});
