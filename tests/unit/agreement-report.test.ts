import { describe, expect, it } from 'vitest';
import { AgreementReportSchema } from '../../shared/schemas/agreement.ts';
import {
  cohenKappa,
  createRng,
  krippendorffAlpha,
  looAgainst,
  looAgreement,
  meanAbsoluteError,
  pearson,
  randomInt,
  spearman,
} from '../../shared/stats/index.ts';
import type { AgreementData, RatedItem, RecordInfo } from '../../server/services/agreement/agreement-data.ts';
import { canonicalJson, computeAgreementReport } from '../../server/services/agreement/agreement-report.ts';
import { alphaKernel, looParts } from '../../server/services/agreement/alpha-kernel.ts';
import {
  HALF_SCALE,
  pairedMae,
  pairedSpearman,
  pooledKappa,
  SCALE,
} from '../../server/services/agreement/judge-vs-humans.ts';
import {
  codedPairs,
  kappaKernel,
  kappaWeights,
  pearsonKernel,
  ratioKernel,
  type Kernel,
} from '../../server/services/agreement/kernels.ts';
import {
  ageBand,
  disclosureCategory,
  normalizeValue,
  unpromptedCount,
  wordCount,
} from '../../server/services/agreement/record-info.ts';
import { intervals, onSample, planFor } from '../../server/services/agreement/resampling.ts';
import { majority, median, weightedScore } from '../../server/services/agreement/score-units.ts';

const rng = createRng(2024);
/** 60 units, 1–4 raters each, scores 1–5; personas shared by 4 units each, so the persona plan is exercised. */
const units = Array.from({ length: 60 }, () =>
  Array.from({ length: 1 + randomInt(rng, 4) }, () => 1 + randomInt(rng, 5)),
);
const judge = units.map((u, i) =>
  i % 7 === 0 ? null : Math.min(5, Math.max(1, (u[0] as number) + randomInt(rng, 3) - 1)),
);
const personas = units.map((_, i) => `persona-${i % 15}`);
const persona = planFor(personas);
const item = planFor(units.map((_, i) => `p${i}`));
const both = (kernel: Kernel): [number | null, number | null] => [onSample(kernel, persona), onSample(kernel, item)];

describe('bootstrap kernels equal the library statistic on the whole sample', () => {
  it('plans: persona clusters when personas share units, else items', () => {
    expect([persona.unit, persona.clusters, item.unit, item.clusters]).toEqual(['persona', 15, 'item', 60]);
    expect(planFor(['a', 'a', 'a']).unit).toBe('item'); // one persona: nothing to cluster over
  });

  it('pooled quadratic κ_w, κ_w against the half-point median, nominal κ', () => {
    const [result, kernel] = pooledKappa(
      units.map((u, i) => (judge[i] === null ? [] : u.map((h) => [judge[i] as number, h] as const))),
      SCALE,
    );
    expect(result.value).not.toBeNull();
    for (const v of both(kernel)) expect(v).toBeCloseTo(result.value as number, 12);
    const medians = units.map((u) => median(u) as number);
    const [mResult, mKernel] = pooledKappa(
      units.map((_, i) => (judge[i] === null ? [] : [[judge[i] as number, medians[i] as number] as const])),
      HALF_SCALE,
    );
    for (const v of both(mKernel)) expect(v).toBeCloseTo(mResult.value as number, 12);
    const a = units.map((u) => (u[0] as number) % 3);
    const b = units.map((u) => (u.at(-1) as number) % 3);
    const nominal = kappaKernel(
      codedPairs(a.map((x, i) => [[x, b[i] as number] as const])),
      kappaWeights([0, 1, 2], 'none'),
      3,
    );
    for (const v of both(nominal)) expect(v).toBeCloseTo(cohenKappa(a, b).value as number, 12);
  });

  it('Krippendorff α, ordinal on scores and interval on continuous values', () => {
    const slots = (values: number[][]) => Array.from({ length: 5 }, (_, s) => values.map((v) => v[s] ?? null));
    const ordinal = krippendorffAlpha(slots(units), 'ordinal').value as number;
    for (const v of both(alphaKernel(units, 'ordinal'))) expect(v).toBeCloseTo(ordinal, 12);
    const continuous = units.map((u) => u.map((x, j) => x + j / 7));
    const interval = krippendorffAlpha(slots(continuous), 'interval').value as number;
    for (const v of both(alphaKernel(continuous, 'interval'))) expect(v).toBeCloseTo(interval, 10);
  });

  it('Spearman (with ties), MAE and Pearson', () => {
    const means = units.map((u, i) => (judge[i] === null ? null : u.reduce((s, x) => s + x, 0) / u.length));
    const [rho, rhoKernel] = pairedSpearman(judge, means);
    expect(rho.value).toBeCloseTo(spearman(judge, means).value as number, 15);
    for (const v of both(rhoKernel)) expect(v).toBeCloseTo(rho.value as number, 12);
    const [mae, maeKernel] = pairedMae(judge, means);
    expect(mae.value).toBe(meanAbsoluteError(judge, means).value);
    for (const v of both(maeKernel)) expect(v).toBeCloseTo(mae.value as number, 12);
    const x = Float64Array.from(units, (u) => u.length);
    const y = Float64Array.from(units, (u) => u[0] as number);
    for (const v of both(pearsonKernel(x, y))) expect(v).toBeCloseTo(pearson([...x], [...y]).value as number, 10);
  });

  it('leave-one-out parts sum to looAgreement and looAgainst, seeded tie-breaks included', () => {
    for (const agree of ['exact', 'absolute'] as const) {
      const parts = looParts(units, judge, agree, 42);
      const human = looAgreement(units, agree, { seed: 42 }).value as number;
      const vsJudge = looAgainst(units, judge, agree, { seed: 42 }).value as number;
      for (const v of both(ratioKernel(parts.humanSum, parts.humanCount))) expect(v).toBeCloseTo(human, 12);
      for (const v of both(ratioKernel(parts.judgeSum, parts.judgeCount))) expect(v).toBeCloseTo(vsJudge, 12);
    }
  });

  it('intervals are reproducible for a seed, bracket the estimate, and say why when they cannot exist', () => {
    const [result, kernel] = pairedMae(
      judge,
      units.map((u) => u[0] as number),
    );
    const settings = { resamples: 400, seed: 9 };
    const [ci] = intervals(persona, [kernel], settings);
    expect(intervals(persona, [kernel], settings)).toEqual([ci]);
    expect(intervals(persona, [kernel], { ...settings, seed: 10 })).not.toEqual([ci]);
    expect(ci?.low).toBeLessThan(result.value as number);
    expect(ci?.high).toBeGreaterThan(result.value as number);
    expect(ci).toMatchObject({ unit: 'persona', clusters: 15, validResamples: 400, level: 0.95 });
    expect(intervals(planFor(['only']), [kernel], settings)[0]).toMatchObject({
      low: null,
      high: null,
      reason: 'one item: every resample would equal the sample',
    });
  });
});

describe('helpers', () => {
  it('normalizes revealed values and classifies disclosures', () => {
    expect(normalizeValue(' 4.0 ')).toBe(normalizeValue(4));
    expect(normalizeValue('Very  LOW ')).toBe('very low');
    expect(normalizeValue('4 stars')).not.toBe(normalizeValue(4));
    const label = {
      asked: ['a'],
      revealed: [
        { preference: 'a', value: ' High' },
        { preference: 'b', value: '2' },
      ],
    };
    expect(disclosureCategory(label, 'a', 'high')).toBe('revealed_correct');
    expect(disclosureCategory(label, 'b', 3)).toBe('revealed_wrong');
    expect(disclosureCategory(label, 'c', 3)).toBe('not_revealed');
    expect(unpromptedCount(label)).toBe(1);
    expect(wordCount('  two   words ')).toBe(2);
    expect(wordCount('   ')).toBe(0);
  });

  it('age bands, weighted scores, medians and majorities', () => {
    expect([17, 18, 25, 26, 35, 36, 47, 65, 66, 75, 90].map(ageBand)).toEqual([
      'unknown',
      '18–25',
      '18–25',
      '26–35',
      '26–35',
      '36–45',
      '46–55',
      '56–65',
      '66–75',
      '66–75',
      '66–75',
    ]);
    expect(ageBand(undefined)).toBe('unknown');
    expect(weightedScore([4, null, 2], [0.5, 0.3, 0.2])).toBeCloseTo((0.5 * 4 + 0.2 * 2) / 0.7, 12);
    expect(weightedScore([null], [1])).toBeNull();
    expect(median([3, 1, 4, 2])).toBe(2.5);
    expect([majority([1, 1, 0]), majority([0, 1]), majority([0])]).toEqual([1, null, 0]);
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: null }], a: 'x', u: undefined })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":2}]}',
    );
  });
});

const record: RecordInfo = {
  problemId: 'p1',
  personaId: 'persona',
  ageBand: '26–35',
  criteria: [{ preference: 'a', weight: 1, type: 'personal' }],
  preferences: { a: { value: 3, type: 'personal' } },
};
const empty: AgreementData = {
  records: [record],
  items: [],
  live: [],
  twins: [],
  baselines: [],
  provenance: {
    models: [],
    judgeModels: [],
    simulatorModels: [],
    promptHashes: [],
    rubricHashes: [],
    appVersions: [],
    testModels: [],
  },
};
const settings = { epsilon: 0.1, resamples: 100, seed: 42 };

describe('degenerate inputs never crash; sections say why', () => {
  it('a study with nothing rated or played', () => {
    const report = computeAgreementReport({ id: 's', name: 'S' }, empty, settings);
    expect(AgreementReportSchema.parse(report)).toEqual(report);
    const weighted = report.judgeVsHumans.rows[0];
    expect(weighted?.criterion).toBe('(weighted score)');
    expect(weighted?.kappaVsRaters).toEqual({
      value: null,
      n: 0,
      reason: 'no item was rated by both raters',
      ci: null,
    });
    expect(weighted?.altTest).toMatchObject({
      winningRate: null,
      passed: false,
      reason: 'no annotator could be tested',
    });
    expect(report.outcomes.pearson.reason).toBe('needs at least 3 complete pairs, got 0');
    expect(report.outcomes.worseThanGeneric.human.reason).toContain('no generic (no_prompt) baseline');
    expect(report.outcomes.modelRankingTau.reason).toBe('a ranking needs at least 2 models, got 0');
    expect(report.disclosure.revealedValueAgreement.reason).toContain('no preference was revealed');
    expect(report.behaviour.rows[0]?.ks.reason).toBe('both samples need at least one value');
  });

  it('one rated answer with one rater and the same score as the judge', () => {
    const one: RatedItem = {
      itemId: 'i1',
      problemId: 'p1',
      personaId: 'persona',
      sourceEpisodeId: 'e1',
      model: 'm',
      raters: ['r1'],
      scores: [[4]],
      correct: [1],
      judge: [4],
      judgeWeighted: 4,
      judgeCorrect: 1,
      self: { scores: [4], correct: 1 },
    };
    const report = computeAgreementReport({ id: 's', name: 'S' }, { ...empty, items: [one] }, settings);
    const row = report.judgeVsHumans.rows.find((r) => r.criterion === 'a');
    expect(row?.kappaVsRaters).toMatchObject({
      value: null,
      n: 1,
      reason: 'both raters used one and the same category: chance agreement is 1',
    });
    expect(row?.alphaHumans.reason).toBe('no unit has values from at least 2 coders (nothing pairable)');
    expect(row?.mae).toMatchObject({ value: 0, n: 1 });
    expect(row?.mae.ci).toMatchObject({ low: null, reason: 'one item: every resample would equal the sample' });
    expect(row?.ceiling.humanMae.reason).toBe('no item has two or more ratings');
    expect(report.judgeVsHumans.correctnessKappa.reason).toBe(
      'both raters used one and the same category: chance agreement is 1',
    );
    expect(report.selfRatings.comparisons[0]?.spearman.reason).toBe('needs at least 3 complete pairs, got 1');
  });

  it('the hash covers everything but the timestamp', () => {
    const a = computeAgreementReport({ id: 's', name: 'S' }, empty, settings, new Date('2030-01-01'));
    const b = computeAgreementReport({ id: 's', name: 'S' }, empty, settings, new Date('2031-01-01'));
    expect(a.generatedAt).not.toBe(b.generatedAt);
    expect(a.reportSha256).toBe(b.reportSha256);
    expect(computeAgreementReport({ id: 's', name: 'S' }, empty, { ...settings, epsilon: 0.2 }).reportSha256).not.toBe(
      a.reportSha256,
    );
  });
});
