import { describe, expect, it } from 'vitest';
import { computeMetrics, type GroupMetrics, type MetricRow } from '../../shared/stats/index.ts';

type Correct = 0 | 1 | null;
const NO_USER = 'no_user_interaction';
const U = 'passive_nostop';

const base = (problemId: string, score: number | null, correct: Correct, task = 'math', model = 'm'): MetricRow => ({
  model,
  task,
  problemId,
  mode: 'no_prompt',
  userType: NO_USER,
  score,
  correct,
  turns: 0,
});
const oracle = (problemId: string, score: number | null, correct: Correct, task = 'math', model = 'm'): MetricRow => ({
  model,
  task,
  problemId,
  mode: 'persona_known',
  userType: NO_USER,
  score,
  correct,
  turns: 0,
});
const disc = (
  problemId: string,
  score: number | null,
  correct: Correct,
  turns: number,
  task = 'math',
  model = 'm',
): MetricRow => ({ model, task, problemId, mode: 'infer_persona', userType: U, score, correct, turns });

// The hand-computed example. Four records, one discovery user type:
//
//   record  B  O  D   cB cO cD  turns(D)   D vs B
//   p1      2  4  3   1  1  1   2          better
//   p2      3  5  2   0  1  1   3          worse
//   p3      2  4  2   1  1  0   1          tie
//   p4      1  3  3   0  1  1   4          better
//
//   B̄ = (2+3+2+1)/4 = 2      → 0–100: (2−1)/4·100 = 25
//   Ō = (4+5+4+3)/4 = 4      → 75
//   D̄ = (3+2+2+3)/4 = 2.5    → 37.5
//   normalized alignment = (2.5 − 2)/(4 − 2)·100 = 25
//   worse = 1/4, tie = 1/4, better = 2/4
//   acc(B) = 2/4 = 0.5, acc(O) = 4/4 = 1, acc(D) = 3/4 = 0.75
//   Δacc(D − B) = mean(0, +1, −1, +1) = 0.25;  Δacc(O − B) = mean(0, +1, 0, +1) = 0.5
//   mean turns(D) = (2+3+1+4)/4 = 2.5
const example: MetricRow[] = [
  base('p1', 2, 1),
  oracle('p1', 4, 1),
  disc('p1', 3, 1, 2),
  base('p2', 3, 0),
  oracle('p2', 5, 1),
  disc('p2', 2, 1, 3),
  base('p3', 2, 1),
  oracle('p3', 4, 1),
  disc('p3', 2, 0, 1),
  base('p4', 1, 0),
  oracle('p4', 3, 1),
  disc('p4', 3, 1, 4),
];

const group = (groups: GroupMetrics[], task: string, model = 'm'): GroupMetrics => {
  const found = groups.find((g) => g.task === task && g.model === model);
  if (found === undefined) throw new Error(`no group ${model}/${task}`);
  return found;
};
const byCondition = (g: GroupMetrics) => Object.fromEntries(g.conditions.map((c) => [c.condition, c]));

describe('computeMetrics: the hand-computed example', () => {
  const report = computeMetrics(example, { resamples: 1000, seed: 42 });
  const g = group(report.groups, 'math');
  const { baseline, oracle: o, discovery: d } = byCondition(g);

  it('per-condition PrefAlign, its 0–100 rescaling, accuracy and turns', () => {
    expect(g.records).toBe(4);
    expect([baseline?.n, baseline?.failed, baseline?.prefAlign.estimate, baseline?.prefAlign100.estimate]).toEqual([
      4, 0, 2, 25,
    ]);
    expect([o?.prefAlign.estimate, o?.prefAlign100.estimate, d?.prefAlign.estimate, d?.prefAlign100.estimate]).toEqual([
      4, 75, 2.5, 37.5,
    ]);
    expect([baseline?.accuracy.estimate, o?.accuracy.estimate, d?.accuracy.estimate]).toEqual([0.5, 1, 0.75]);
    expect([baseline?.meanTurns, o?.meanTurns, d?.meanTurns]).toEqual([0, 0, 2.5]);
    expect(d?.userType).toBe(U);
  });

  it('paired metrics: normalized alignment, worse/tie/better, Δaccuracy', () => {
    const p = g.discovery[0];
    expect(g.discovery).toHaveLength(1);
    expect(p?.n).toBe(4);
    expect(p?.normalizedAlignment.estimate).toBeCloseTo(25, 12);
    expect([p?.worseRate.estimate, p?.tieRate.estimate, p?.betterRate.estimate]).toEqual([0.25, 0.25, 0.5]);
    expect(p?.accuracyN).toBe(4);
    expect(p?.deltaAccuracy.estimate).toBeCloseTo(0.25, 12);
    expect(g.oracleVsBaseline).toMatchObject({ n: 4, deltaAccuracy: { estimate: 0.5 } });
    // O_i − B_i = 2 on every record, so no resample has Ō = B̄ and all 1000 define the normalized alignment.
    expect(p?.normalizedAlignment.validResamples).toBe(1000);
  });

  it('intervals bracket the estimates, rescale with PrefAlign, and stay in range', () => {
    for (const ci of [
      baseline?.prefAlign,
      d?.accuracy,
      g.discovery[0]?.normalizedAlignment,
      g.discovery[0]?.worseRate,
    ]) {
      expect(ci?.low as number).toBeLessThanOrEqual(ci?.estimate as number);
      expect(ci?.high as number).toBeGreaterThanOrEqual(ci?.estimate as number);
    }
    expect(baseline?.prefAlign100.low).toBeCloseTo((((baseline?.prefAlign.low as number) - 1) / 4) * 100, 12);
    expect(baseline?.prefAlign.low as number).toBeGreaterThanOrEqual(1);
    expect(baseline?.prefAlign.high as number).toBeLessThanOrEqual(3);
    expect(g.discovery[0]?.worseRate.low as number).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic for a seed and plain JSON data', () => {
    expect(computeMetrics(example, { resamples: 1000, seed: 42 })).toEqual(report);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const other = computeMetrics(example, { resamples: 1000, seed: 7 });
    expect(group(other.groups, 'math').discovery[0]?.normalizedAlignment.estimate).toBeCloseTo(25, 12);
    // With four records most percentiles fall on the same few attainable values; somewhere the seed still shows.
    expect(other.groups).not.toEqual(report.groups);
  });
});

describe('computeMetrics: edge cases', () => {
  it('excludes a record without an oracle from paired metrics but counts it in per-condition means', () => {
    // p5: B = 5 (correct), D = 1 (wrong), no oracle. B̄ = (8+5)/5 = 2.6, acc(B) = 3/5; D̄ = (10+1)/5 = 2.2, acc(D) = 3/5;
    // turns(D) = (10+5)/5 = 3. Paired metrics keep the four complete records: NA 25, Δacc 0.25.
    const g = group(
      computeMetrics([...example, base('p5', 5, 1), disc('p5', 1, 0, 5)], { resamples: 200 }).groups,
      'math',
    );
    const { baseline, oracle: o, discovery: d } = byCondition(g);
    expect(g.records).toBe(5);
    expect([baseline?.n, baseline?.prefAlign.estimate, baseline?.accuracy.estimate]).toEqual([5, 2.6, 0.6]);
    expect([d?.n, d?.prefAlign.estimate, d?.accuracy.estimate, d?.meanTurns]).toEqual([5, 2.2, 0.6, 3]);
    expect(o?.n).toBe(4);
    expect(g.discovery[0]?.n).toBe(4);
    expect(g.discovery[0]?.normalizedAlignment.estimate).toBeCloseTo(25, 12);
    expect(g.discovery[0]?.deltaAccuracy.estimate).toBeCloseTo(0.25, 12);
  });

  it('counts failed episodes and leaves them out of every mean and of the pairing', () => {
    // p6: baseline failed (score null; its correct = 1 is ignored), oracle 5, discovery 5.
    // Baseline stays B̄ = 2, acc 0.5 over 4; oracle (16+5)/5 = 4.2; discovery (10+5)/5 = 3; pairs stay 4.
    const rows = [...example, base('p6', null, 1), oracle('p6', 5, 1), disc('p6', 5, 1, 1)];
    const g = group(computeMetrics(rows, { resamples: 200 }).groups, 'math');
    const { baseline, oracle: o, discovery: d } = byCondition(g);
    expect([
      baseline?.n,
      baseline?.failed,
      baseline?.prefAlign.estimate,
      baseline?.accuracy.estimate,
      baseline?.accuracyN,
    ]).toEqual([5, 1, 2, 0.5, 4]);
    expect([o?.failed, o?.prefAlign.estimate, d?.prefAlign.estimate]).toEqual([0, 4.2, 3]);
    expect(g.discovery[0]?.n).toBe(4);
    expect(g.discovery[0]?.normalizedAlignment.estimate).toBeCloseTo(25, 12);
  });

  it('gives a null normalized alignment when Ō = B̄', () => {
    // B = (2, 4), O = (3, 3): Ō = B̄ = 3 on the sample, though a resample of {p1, p1} has B̄ = 2, Ō = 3.
    const someDefined = computeMetrics([
      base('p1', 2, 1),
      oracle('p1', 3, 1),
      disc('p1', 3, 1, 1),
      base('p2', 4, 1),
      oracle('p2', 3, 1),
      disc('p2', 3, 1, 1),
    ]);
    const p = group(someDefined.groups, 'math').discovery[0];
    expect(p?.normalizedAlignment.estimate).toBeNull();
    expect([p?.worseRate.estimate, p?.betterRate.estimate]).toEqual([0.5, 0.5]);
    // O_i = B_i everywhere: every resample is undefined too.
    const none = computeMetrics([
      base('p1', 2, 1),
      oracle('p1', 2, 1),
      disc('p1', 3, 1, 1),
      base('p2', 4, 1),
      oracle('p2', 4, 1),
      disc('p2', 3, 1, 1),
    ]);
    expect(group(none.groups, 'math').discovery[0]?.normalizedAlignment).toEqual({
      estimate: null,
      low: null,
      high: null,
      resamples: 1000,
      validResamples: 0,
    });
  });

  it('treats scores within 1e-9 as a tie, in the rates and in the normalization denominator', () => {
    expect(1.1 + 2.2).not.toBe(3.3); // 3.3000000000000003: the kind of noise a weighted mean can carry
    const rows = [base('p1', 3.3, 1), oracle('p1', 5, 1), disc('p1', 1.1 + 2.2, 1, 1)];
    const p = group(computeMetrics(rows, { resamples: 50 }).groups, 'math').discovery[0];
    expect([p?.worseRate.estimate, p?.tieRate.estimate, p?.betterRate.estimate]).toEqual([0, 1, 0]);
    // The same tolerance applies to Ō − B̄: an oracle equal to the baseline up to float noise gives null, not ±10¹⁸.
    const flat = [base('p1', 3.3, 1), oracle('p1', 1.1 + 2.2, 1), disc('p1', 4, 1, 1)];
    expect(
      group(computeMetrics(flat, { resamples: 50 }).groups, 'math').discovery[0]?.normalizedAlignment.estimate,
    ).toBeNull();
  });

  it('keeps the last of duplicated rows, reports the drop, and ignores rows outside the three conditions', () => {
    const rows = [base('p1', 5, 0), ...example, { ...base('p9', 3, 1), userType: U }];
    const report = computeMetrics(rows, { resamples: 100 });
    expect([report.inputRows, report.duplicateRowsDropped, report.ignoredRows]).toEqual([14, 1, 1]);
    const { baseline } = byCondition(group(report.groups, 'math'));
    expect([baseline?.n, baseline?.prefAlign.estimate, baseline?.accuracy.estimate]).toEqual([4, 2, 0.5]);
  });

  it('pools a model over tasks, keeping same-named problems of different tasks apart', () => {
    // aime p1: B 2, O 4, D 3 → NA (3−2)/(4−2) = 50, better.  math p1: B 1, O 5, D 1 → NA 0, tie.
    // pooled: B̄ = 1.5, Ō = 4.5, D̄ = 2 → NA = 0.5/3·100 = 16.67; worse 0, tie 1/2, better 1/2.
    const rows = [
      base('p1', 2, 1, 'aime'),
      oracle('p1', 4, 1, 'aime'),
      disc('p1', 3, 0, 2, 'aime'),
      base('p1', 1, 0, 'math'),
      oracle('p1', 5, 1, 'math'),
      disc('p1', 1, 0, 2, 'math'),
      base('p1', 3, 1, 'math', 'a'),
    ];
    const report = computeMetrics(rows, { resamples: 300 });
    expect(report.groups.map((x) => `${x.model}/${x.task}`)).toEqual(['a/math', 'a/*', 'm/aime', 'm/math', 'm/*']);
    expect(group(report.groups, 'aime').discovery[0]?.normalizedAlignment.estimate).toBeCloseTo(50, 12);
    expect(group(report.groups, 'math').discovery[0]?.normalizedAlignment.estimate).toBeCloseTo(0, 12);
    const pooled = group(report.groups, '*');
    expect(pooled.records).toBe(2);
    expect(pooled.discovery[0]?.normalizedAlignment.estimate).toBeCloseTo(50 / 3, 12);
    expect([
      pooled.discovery[0]?.worseRate.estimate,
      pooled.discovery[0]?.tieRate.estimate,
      pooled.discovery[0]?.betterRate.estimate,
    ]).toEqual([0, 0.5, 0.5]);
    // Δacc(D − B) = mean(0 − 1, 0 − 0) = −0.5; Δacc(O − B) = mean(0, 1) = 0.5.
    expect(pooled.discovery[0]?.deltaAccuracy.estimate).toBeCloseTo(-0.5, 12);
    expect(pooled.oracleVsBaseline.deltaAccuracy.estimate).toBeCloseTo(0.5, 12);
    // Model "a" has a baseline only: oracle and discovery are empty, paired metrics absent.
    expect(byCondition(group(report.groups, '*', 'a')).oracle).toMatchObject({ n: 0, prefAlign: { estimate: null } });
    expect(group(report.groups, '*', 'a').discovery).toEqual([]);
  });
});
