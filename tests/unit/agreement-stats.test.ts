import { describe, expect, it } from 'vitest';
import {
  altTest,
  benjaminiYekutieli,
  blandAltman,
  bootstrapCi,
  clusterBootstrapCi,
  createRng,
  icc,
  icc21,
  kendallTauB,
  kolmogorovQ,
  ksStatistic,
  looAgainst,
  looAgreement,
  meanAbsoluteError,
  pearson,
  randomInt,
  rootMeanSquareError,
  spearman,
  studentTCdf,
  type AltTestItem,
} from '../../shared/stats/index.ts';

const width = (ci: { low: number | null; high: number | null }): number => (ci.high as number) - (ci.low as number);
const meanOver =
  (values: ArrayLike<number>) =>
  (idx: Int32Array): number => {
    let s = 0;
    for (let i = 0; i < idx.length; i++) s += values[idx[i] as number] as number;
    return s / idx.length;
  };

describe('ICC (Shrout & Fleiss 1979, Table 2: 6 targets × 4 judges)', () => {
  const table2 = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  it('reproduces the published ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71', () => {
    expect(icc21(table2).value?.toFixed(2)).toBe('0.29');
    expect(icc(table2, '3,1').value?.toFixed(2)).toBe('0.71');
    expect(icc(table2, '1,1').value?.toFixed(2)).toBe('0.17');
    expect(icc21(table2)).toMatchObject({ n: 6, raters: 4, dropped: 0 });
  });
  it('drops and counts rows with a missing rating, leaving the value unchanged', () => {
    const r = icc21([...table2, [1, null, 3, Number.NaN]]);
    expect(r).toMatchObject({ n: 6, dropped: 1 });
    expect(r.value).toBeCloseTo(icc21(table2).value as number, 12);
  });
  it('penalises a constant rater offset in (2,1) but not in (3,1) (hand: BMS 2, JMS 1.5, EMS 0)', () => {
    const shifted = [
      [1, 2],
      [2, 3],
      [3, 4],
    ];
    expect(icc21(shifted).value).toBeCloseTo(2 / 3, 12); // 2 / (2 + 0 + 2·1.5/3)
    expect(icc(shifted, '3,1').value).toBeCloseTo(1, 12);
  });
  it('gives a reason, not NaN, for identical ratings, one rater or one subject', () => {
    expect(
      icc21([
        [3, 3],
        [3, 3],
      ]),
    ).toMatchObject({ value: null, reason: expect.stringContaining('variance') });
    expect(icc21([[1], [2]]).reason).toMatch(/2 raters/);
    expect(
      icc21([
        [1, 2],
        [null, 3],
      ]).reason,
    ).toMatch(/2 subjects/);
    expect(() => icc21([[1, 2], [3]])).toThrow(RangeError);
  });
});

describe('Pearson / Spearman / Kendall τ-b / MAE / RMSE (hand-computed)', () => {
  // x = [1,2,2,3,4], y = [1,3,2,2,4]; both have one tie.
  // Pearson: x̄ = ȳ = 2.4, Σdxdy = 4.2, Σdx² = Σdy² = 5.2 → r = 4.2/5.2 = 21/26.
  // Spearman: ranks x = [1,2.5,2.5,4,5], y = [1,4,2.5,2.5,5]; Σ = 7.25, Σd² = 9.5 each → ρ = 7.25/9.5 = 29/38.
  // Kendall: of the 10 pairs, concordant (1,2)(1,3)(1,4)(1,5)(2,5)(3,5)(4,5) = 7, discordant (2,4) = 1, tied in x
  // (2,3) = 1, tied in y (3,4) = 1 → τ_b = (7 − 1)/√((10 − 1)(10 − 1)) = 6/9.
  const x = [1, 2, 2, 3, 4];
  const y = [1, 3, 2, 2, 4];
  it('matches the hand values', () => {
    expect(pearson(x, y)).toEqual({ value: expect.closeTo(21 / 26, 12), n: 5 });
    expect(spearman(x, y).value).toBeCloseTo(29 / 38, 12);
    expect(kendallTauB(x, y).value).toBeCloseTo(2 / 3, 12);
    // |d| = [1,0,2] → MAE 1, RMSE √(5/3)
    expect(meanAbsoluteError([1, 2, 3], [2, 2, 5]).value).toBe(1);
    expect(rootMeanSquareError([1, 2, 3], [2, 2, 5]).value).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });
  it('drops pairs with a null or NaN on either side and reports n', () => {
    expect(pearson([...x, null, 9], [...y, 5, Number.NaN])).toEqual({ value: expect.closeTo(21 / 26, 12), n: 5 });
    expect(meanAbsoluteError([1, null], [2, 3])).toEqual({ value: 1, n: 1 });
  });
  it('is symmetric, and Spearman/Kendall are invariant to monotone transforms', () => {
    const rng = createRng(11);
    const a = Array.from({ length: 60 }, () => randomInt(rng, 6));
    const b = a.map((v) => v + randomInt(rng, 4));
    for (const f of [pearson, spearman, kendallTauB]) expect(f(a, b).value).toBeCloseTo(f(b, a).value as number, 12);
    expect(
      spearman(
        a.map(Math.exp),
        b.map((v) => v ** 3),
      ).value,
    ).toBeCloseTo(spearman(a, b).value as number, 12);
    expect(
      kendallTauB(
        a.map(Math.exp),
        b.map((v) => -1 / (v + 1)),
      ).value,
    ).toBeCloseTo(kendallTauB(a, b).value as number, 12);
    expect(pearson(a.map(Math.exp), b).value).not.toBeCloseTo(pearson(a, b).value as number, 3);
  });
  it('Kendall τ-b (Knight 1966, O(n log n)) equals the O(n²) pair count on heavily tied data', () => {
    const rng = createRng(5);
    const a = Array.from({ length: 300 }, () => randomInt(rng, 5));
    const b = a.map((v) => (v + randomInt(rng, 3)) % 5);
    let s = 0,
      tx = 0,
      ty = 0;
    for (let i = 0; i < a.length; i++)
      for (let j = i + 1; j < a.length; j++) {
        const dx = Math.sign((a[i] as number) - (a[j] as number));
        const dy = Math.sign((b[i] as number) - (b[j] as number));
        s += dx * dy;
        if (dx === 0) tx++;
        if (dy === 0) ty++;
      }
    const n0 = (a.length * (a.length - 1)) / 2;
    expect(kendallTauB(a, b).value).toBeCloseTo(s / Math.sqrt((n0 - tx) * (n0 - ty)), 12);
  });
  it('gives a reason, not NaN, for too few pairs or zero variance', () => {
    for (const f of [pearson, spearman, kendallTauB]) {
      expect(f([1, 2], [3, 4])).toMatchObject({ value: null, n: 2, reason: expect.stringMatching(/at least 3/) });
      expect(f([1, 1, 1], [1, 2, 3])).toMatchObject({ value: null, n: 3, reason: expect.stringMatching(/x/) });
      expect(f([1, 2, 3], [5, 5, 5]).reason).toMatch(/y/);
    }
    expect(rootMeanSquareError([null], [1])).toMatchObject({ value: null, n: 0 });
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe('Bland–Altman (Bland & Altman 1986) on a hand example', () => {
  it('d = [1,0,−1,2]: d̄ = 0.5, SD = √(5/3), limits 0.5 ± 1.96·SD', () => {
    const r = blandAltman([10, 12, 14, 16], [9, 12, 15, 14]);
    expect(r.n).toBe(4);
    expect(r.meanDifference).toBe(0.5);
    expect(r.sdDifference).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(r.lower).toBeCloseTo(-2.030349, 6);
    expect(r.upper).toBeCloseTo(3.030349, 6);
  });
  it('one pair gives the bias but no limits; none gives a reason', () => {
    expect(blandAltman([3, null], [1, 2])).toMatchObject({
      n: 1,
      meanDifference: 2,
      lower: null,
      reason: expect.any(String),
    });
    expect(blandAltman([], [])).toMatchObject({ n: 0, meanDifference: null, reason: 'no complete pairs' });
  });
});

describe('Two-sample Kolmogorov–Smirnov (Smirnov 1939)', () => {
  it('hand example: A = [1,2,3,4], B = [3..7] → D = max|F_A − F_B| = 0.6 at t = 4', () => {
    const r = ksStatistic([1, 2, 3, 4], [3, 4, 5, 6, 7]);
    expect(r).toMatchObject({ value: expect.closeTo(0.6, 12), n: 9, nA: 4, nB: 5 });
    // λ = (√(20/9) + 0.12 + 0.11/√(20/9))·0.6 ≈ 1.0107; Q(1.0107) ≈ 0.259
    expect(r.pValue).toBeCloseTo(0.2587, 3);
  });
  it('handles ties across samples, identical and disjoint samples, and empty input', () => {
    expect(ksStatistic([1, 1, 2], [1, 2, 2]).value).toBeCloseTo(1 / 3, 12);
    expect(ksStatistic([1, 2, 3], [3, 2, 1])).toMatchObject({ value: 0, pValue: 1 });
    expect(ksStatistic([1, 2], [5, 6, null]).value).toBe(1);
    expect(ksStatistic([], [1])).toMatchObject({ value: null, pValue: null, reason: expect.any(String) });
  });
  it('Kolmogorov distribution: the classic critical values 1.2239, 1.3581, 1.6276 give Q = 0.10, 0.05, 0.01', () => {
    expect(kolmogorovQ(1.2239)).toBeCloseTo(0.1, 3);
    expect(kolmogorovQ(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovQ(1.6276)).toBeCloseTo(0.01, 3);
    expect(kolmogorovQ(1)).toBeCloseTo(0.27, 3); // Q(1) = 0.2700 (either series form agrees across λ = 1.18)
  });
});

describe('clusterBootstrapCi (Davison & Hinkley 1997 §3.8)', () => {
  // 20 clusters × 50 items; items share their cluster's level (strong within-cluster correlation).
  const rng = createRng(3);
  const clusterOf = Array.from({ length: 1000 }, (_, i) => Math.floor(i / 50));
  const level = Array.from({ length: 20 }, () => rng());
  const values = clusterOf.map((c) => (level[c] as number) + 0.05 * rng());
  it('is reproducible for a seed and covers the estimate', () => {
    const a = clusterBootstrapCi(clusterOf, meanOver(values), { seed: 9 });
    expect(clusterBootstrapCi(clusterOf, meanOver(values), { seed: 9 })).toEqual(a);
    expect(clusterBootstrapCi(clusterOf, meanOver(values), { seed: 10 }).low).not.toBe(a.low);
    expect(a.estimate).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 12);
    expect(a.low as number).toBeLessThan(a.estimate as number);
    expect(a.high as number).toBeGreaterThan(a.estimate as number);
    expect(a).toMatchObject({ resamples: 1000, validResamples: 1000, clusters: 20 });
  });
  it('is much wider than the item bootstrap when items within a cluster are correlated', () => {
    const clustered = width(clusterBootstrapCi(clusterOf, meanOver(values)));
    const items = width(bootstrapCi(values.length, meanOver(values)));
    // Effective sample size ≈ 20 clusters vs 1000 items, so the ratio is ≈ √50 ≈ 7.
    expect(clustered).toBeGreaterThan(3 * items);
  });
  it('resamples whole clusters of unequal size', () => {
    clusterBootstrapCi(
      [7, 7, 3, 9, 9, 9],
      (idx) => {
        const count = (k: number) => idx.filter((i) => i === k).length;
        expect(count(0)).toBe(count(1));
        expect(count(3)).toBe(count(5));
        return idx.length;
      },
      { resamples: 50 },
    );
  });
  it('is fast: 1,000 resamples of 100,000 items in 1,000 clusters (mean statistic)', () => {
    const n = 100_000;
    const big = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const ids = Int32Array.from({ length: n }, (_, i) => i % 1000);
    const start = performance.now();
    const ci = clusterBootstrapCi(ids, meanOver(big), { resamples: 1000 });
    // About 0.2 s on an idle dev machine; the bound is loose so a busy CI machine does not flake, yet it still
    // catches a per-resample allocation or an accidental O(n·G) loop.
    expect(performance.now() - start).toBeLessThan(2000);
    expect(ci.validResamples).toBe(1000);
  });
  it('is degenerate, with a reason, for one cluster or no items', () => {
    const one = clusterBootstrapCi([4, 4, 4], meanOver([1, 2, 3]));
    expect(one).toMatchObject({
      estimate: 2,
      low: null,
      high: null,
      clusters: 1,
      reason: expect.stringMatching(/one cluster/),
    });
    expect(clusterBootstrapCi([], meanOver([]))).toMatchObject({ estimate: null, low: null, reason: 'no items' });
  });
});

describe('Student t CDF via the regularized incomplete beta', () => {
  it('matches known quantiles and closed forms', () => {
    expect(1 - studentTCdf(2, 10)).toBeCloseTo(0.0367, 4); // one-sided p of t = 2.0, df = 10
    expect(1 - studentTCdf(2.228139, 10)).toBeCloseTo(0.025, 6); // t₀.₉₇₅,₁₀ = 2.228139
    expect(1 - studentTCdf(2.015048, 5)).toBeCloseTo(0.05, 6); // t₀.₉₅,₅ = 2.015048
    expect(1 - studentTCdf(1, 1)).toBeCloseTo(0.25, 12); // Cauchy: P(T > 1) = 1/4
    expect(1 - studentTCdf(2, 2)).toBeCloseTo(0.5 - 1 / Math.sqrt(6), 12); // df 2: ½ − t/(2√(t²+2))
    expect(studentTCdf(-2, 10)).toBeCloseTo(1 - studentTCdf(2, 10), 12);
    expect(studentTCdf(0, 7)).toBe(0.5);
  });
});

describe('Benjamini–Yekutieli (Benjamini & Yekutieli 2001), hand example', () => {
  // m = 4, c(4) = 1 + 1/2 + 1/3 + 1/4 = 25/12; thresholds k·0.05/(4·25/12) = 0.006·k = 0.006, 0.012, 0.018, 0.024.
  it('rejects up to the largest rank under its threshold', () => {
    // sorted 0.001 ≤ .006 ✓, 0.01 ≤ .012 ✓, 0.02 > .018, 0.03 > .024 → k = 2
    expect(benjaminiYekutieli([0.01, 0.001, 0.03, 0.02], 0.05)).toEqual([true, true, false, false]);
    // step-up: 0.013 > .012 fails its own threshold, but 0.017 ≤ .018 at rank 3 → ranks 1–3 rejected
    expect(benjaminiYekutieli([0.5, 0.017, 0.013, 0.005], 0.05)).toEqual([false, true, true, true]);
    // BH (thresholds .0125, .025, …) would reject 0.02 here; BY does not
    expect(benjaminiYekutieli([0.02, 0.9], 0.05)).toEqual([false, false]);
    expect(benjaminiYekutieli([], 0.05)).toEqual([]);
    expect(() => benjaminiYekutieli([Number.NaN], 0.05)).toThrow(RangeError);
  });
});

describe('Alt-Test (Calderon, Reichart & Dror 2025, arXiv 2501.10970)', () => {
  it('hand example: W, ρ^f, ρ^h, paired one-sided t and exclusions', () => {
    const items: AltTestItem[] = [
      { llm: 3, humans: { A: 3, B: 3, C: 4 } }, // A,B: both −0.5 → d = 0; C: LLM 0 vs −1 → d = −1
      { llm: 1, humans: { A: 2, B: 2, C: 2 } }, // everyone: LLM −1 vs human 0 → d = +1
      { llm: 5, humans: { A: 5, B: null, C: 4 } }, // A: −1 vs −1 → d = 0; C: LLM 0 vs −1 → d = −1
      { llm: 2, humans: { D: 3 } }, // one human: unusable
    ];
    const r = altTest(items, { epsilon: 0.1, scoring: 'absolute' });
    expect(r.items).toBe(3);
    expect(r.excluded).toEqual([{ annotator: 'D', n: 0, reason: expect.stringMatching(/needs 2/) }]);
    const [a, b, c] = r.annotators;
    // A: d = [0,1,0], d̄ = 1/3, s = 1/√3 → t = (1/3 − 0.1)/(1/3) = 0.7; df 2: P = ½ + t/(2√(t²+2))
    expect(a).toMatchObject({ annotator: 'A', n: 3, rhoF: 2 / 3, rhoH: 1, rejected: false });
    expect(a?.t).toBeCloseTo(0.7, 12);
    expect(a?.pValue).toBeCloseTo(0.5 + 0.7 / (2 * Math.sqrt(2.49)), 12);
    // B: d = [0,1], t = (0.5 − 0.1)/0.5 = 0.8; df 1 (Cauchy): P = ½ + atan(0.8)/π
    expect(b).toMatchObject({ annotator: 'B', n: 2, rhoF: 0.5, rhoH: 1 });
    expect(b?.pValue).toBeCloseTo(0.5 + Math.atan(0.8) / Math.PI, 12);
    // C: d = [−1,1,−1], d̄ = −1/3, s = 2/√3 → t = (−1/3 − 0.1)/(2/3) = −0.65
    expect(c).toMatchObject({ annotator: 'C', rhoF: 2 / 3, rhoH: 1 / 3 });
    expect(c?.pValue).toBeCloseTo(0.5 - 0.65 / (2 * Math.sqrt(2.4225)), 12);
    expect(r).toMatchObject({ winningRate: 0, passed: false });
    expect(r.advantageProbability).toBeCloseTo((2 / 3 + 0.5 + 2 / 3) / 3, 12);
  });

  // 60 items, 4 humans. Humans = truth ± 1 at random; the "good" LLM says the truth; on categories, humans say the
  // truth 90 % of the time and the "bad" LLM never does.
  const rng = createRng(7);
  const good: AltTestItem[] = [];
  const bad: AltTestItem[] = [];
  const labels = ['a', 'b', 'c'];
  for (let i = 0; i < 60; i++) {
    const v = 1 + randomInt(rng, 5);
    const truth = randomInt(rng, 3);
    const numeric: Record<string, number> = {};
    const categorical: Record<string, string> = {};
    for (const h of ['h1', 'h2', 'h3', 'h4']) {
      numeric[h] = v + randomInt(rng, 3) - 1;
      categorical[h] = labels[rng() < 0.9 ? truth : randomInt(rng, 3)] as string;
    }
    good.push({ llm: v, humans: numeric });
    bad.push({ llm: labels[(truth + 1) % 3] as string, humans: categorical });
  }
  it('an LLM that clearly beats the humans wins against all of them (ω = 1, passed)', () => {
    const r = altTest(good, { epsilon: 0.2, scoring: 'absolute' });
    expect(r).toMatchObject({ winningRate: 1, passed: true, items: 60, excluded: [] });
    expect(r.advantageProbability as number).toBeGreaterThan(0.8);
    for (const a of r.annotators) expect(a.pValue).toBeLessThan(1e-6);
  });
  it('an LLM that clearly loses wins against none (ω = 0)', () => {
    const r = altTest(bad, { epsilon: 0.2, scoring: 'match' });
    expect(r).toMatchObject({ winningRate: 0, passed: false });
    expect(r.advantageProbability as number).toBeLessThan(0.2);
    expect(() => altTest(bad, { epsilon: 0.2, scoring: 'absolute' })).toThrow(TypeError);
  });
  it('has no ω, with a reason, when no annotator can be tested', () => {
    expect(altTest([{ llm: 1, humans: { A: 1, B: 2 } }], { epsilon: 0.1, scoring: 'absolute' })).toMatchObject({
      winningRate: null,
      advantageProbability: null,
      passed: false,
      reason: expect.any(String),
    });
  });
});

describe('Leave-one-out agreement (as in AlpacaEval), hand example', () => {
  // A = [1,1,1,2]: j1–3 others' mode 1 ✓✓✓, j4 others [1,1,1] ✗; means 4/3,4/3,4/3,1 → |d| 1/3·3 + 1 = 2
  // B = [3,3,2,2]: j1,j2 mode of [3,2,2] = 2 ✗; j3,j4 mode 3 ✗; |d| = 2/3 each → 8/3
  // C = [5,5,–,5]: all ✓, |d| = 0.  M = 11 pairs.
  const items = [
    [1, 1, 1, 2],
    [3, 3, 2, 2],
    [5, 5, null, 5],
  ];
  const judge = [1, 3, 5];
  it('gives the human ceiling: exact 6/11, absolute (2 + 8/3)/11 = 14/33', () => {
    expect(looAgreement(items, 'exact')).toEqual({ value: 6 / 11, n: 11 });
    expect(looAgreement(items, 'absolute').value).toBeCloseTo(14 / 33, 12);
  });
  it('scores the judge against the same references: exact 9/11, absolute 3/11', () => {
    // A: 1 = mode on all 4; B: 3 ≠ 2 twice, 3 = 3 twice; C: 3. Absolute: A |1 − 4/3|·3 = 1; B 2/3·2 + 1/3·2 = 2.
    expect(looAgainst(items, judge, 'exact')).toEqual({ value: 9 / 11, n: 11 });
    expect(looAgainst(items, judge, 'absolute').value).toBeCloseTo(3 / 11, 12);
    expect(looAgainst(items, [1, null, 5], 'exact')).toEqual({ value: 7 / 7, n: 7 });
    expect(() => looAgainst(items, [1], 'exact')).toThrow(RangeError);
  });
  it('breaks ties in the mode with the seed, identically for humans and judge', () => {
    // [1,1,2]: j1, j2 see others {1,2} (a tie), j3 sees {1,1}. Judge 1 differs from the humans only on j3.
    const tied = Array.from({ length: 300 }, () => [1, 1, 2]);
    const ones = tied.map(() => 1);
    const h = looAgreement(tied, 'exact', { seed: 1 });
    expect(looAgreement(tied, 'exact', { seed: 1 })).toEqual(h);
    expect(h.value as number).toBeGreaterThan(0.28); // ≈ (½ + ½ + 0)/3
    expect(h.value as number).toBeLessThan(0.39);
    expect((looAgainst(tied, ones, 'exact', { seed: 1 }).value as number) - (h.value as number)).toBeCloseTo(1 / 3, 12);
    expect(looAgreement(tied, 'exact', { seed: 2 }).value).not.toBe(h.value);
  });
  it('gives a reason when no item has two ratings', () => {
    expect(
      looAgreement(
        [
          [1, null],
          [null, 2],
        ],
        'exact',
      ),
    ).toMatchObject({ value: null, n: 0, reason: expect.any(String) });
  });
});
