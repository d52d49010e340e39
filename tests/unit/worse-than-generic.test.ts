import { describe, expect, it } from 'vitest';
import { computeMetrics, POOLED_TASK, type MetricRow } from '../../shared/stats/index.ts';

// Hand-computed: two models, three (model, task) groups, one record left unpaired by a failed oracle, one without an
// oracle row, a float-noise tie and a duplicate row (the last one counts).
type Scores = { b: number | null; o?: number | null; d: number; user?: string };

function rows(model: string, task: string, records: Record<string, Scores>): MetricRow[] {
  return Object.entries(records).flatMap(([problemId, s]) => {
    const row = (mode: MetricRow['mode'], userType: string, score: number | null): MetricRow => ({
      model,
      task,
      problemId,
      mode,
      userType,
      score,
      correct: null,
      turns: 0,
    });
    return [
      row('no_prompt', 'no_user_interaction', s.b),
      ...(s.o === undefined ? [] : [row('persona_known', 'no_user_interaction', s.o)]),
      row('infer_persona', s.user ?? 'passive_nostop', s.d),
    ];
  });
}

const input: MetricRow[] = [
  // A/t1: worse, better, tie by records; means 8/3 and 8/3: the group ties.
  ...rows('A', 't1', { p1: { b: 3, o: 5, d: 5 } }), // replaced below by a later row with d = 2
  ...rows('A', 't1', { p1: { b: 3, o: 5, d: 2 }, p2: { b: 3, o: 5, d: 4 }, p3: { b: 2, o: 4, d: 2 } }),
  // A/t2: two worse; q3's oracle failed, so it is not paired. Means 3.25 < 4: the group is worse.
  ...rows('A', 't2', { q1: { b: 4, o: 5, d: 3 }, q2: { b: 4, o: 5, d: 3.5 }, q3: { b: 4, o: null, d: 1 } }),
  // B/t1: better; a tie within float noise (0.1 + 0.2 + 1 vs 1.3); p2 has no oracle row. Means 3.15 > 1.15: better.
  ...rows('B', 't1', { p1: { b: 1, o: 5, d: 5 }, p2: { b: 2, d: 1 }, p3: { b: 0.1 + 0.2 + 1, o: 5, d: 1.3 } }),
  // A second user type on one record only.
  ...rows('A', 't1', { p1: { b: 3, o: 5, d: 5, user: 'collaborative' } }).slice(2),
];

describe('worse than generic in both units', () => {
  const report = computeMetrics(input, { resamples: 50 });

  it('counts paired records and (model, task) groups by hand', () => {
    expect(report.worseThanGeneric).toEqual([
      {
        userType: 'collaborative',
        records: { n: 1, worse: 0, ties: 0, better: 1 },
        groups: { n: 1, worse: 0, ties: 0, better: 1 },
      },
      {
        userType: 'passive_nostop',
        records: { n: 7, worse: 3, ties: 2, better: 2 },
        groups: { n: 3, worse: 1, ties: 1, better: 1 },
      },
    ]);
  });

  it('the records unit sums the per-group tables (pooled groups left out)', () => {
    const perGroupWorse = report.groups
      .filter((g) => g.task !== POOLED_TASK)
      .flatMap((g) => g.discovery.filter((d) => d.userType === 'passive_nostop'))
      .reduce((sum, d) => sum + Math.round((d.worseRate.estimate ?? 0) * d.n), 0);
    expect(perGroupWorse).toBe(3);
  });
});
