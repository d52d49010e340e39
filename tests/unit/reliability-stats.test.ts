import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  createRng,
  fleissKappa,
  fleissKappaFromRatings,
  gwetAC1,
  krippendorffAlpha,
  MEASUREMENT_LEVELS,
  percentAgreement,
  type Category,
} from '../../shared/stats/index.ts';

const _ = null;
/** Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": coders A–D × units 1–12, null = missing. */
const KRIPPENDORFF_2011 = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];
/** Fleiss (1971) as reproduced on Wikipedia ("Fleiss' kappa", worked example): 10 subjects × 5 categories, 14 raters. */
const FLEISS_1971 = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/** Two rating vectors from a joint count table: cells [a, b, count]. */
function fromTable(cells: [Category, Category, number][]): [Category[], Category[]] {
  const pairs = cells.flatMap(([x, y, c]) => Array.from({ length: c }, () => [x, y] as const));
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
}
/** The common yes/no example: 20 yes/yes, 15 no/no, 5 yes/no (A yes, B no), 10 no/yes. */
const [YES_NO_A, YES_NO_B] = fromTable([
  ['yes', 'yes', 20],
  ['no', 'no', 15],
  ['yes', 'no', 5],
  ['no', 'yes', 10],
]);

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = createRng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('Krippendorff α', () => {
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ] as const)(
    'Krippendorff (2011) "Computing Krippendorff\'s Alpha-Reliability", 4 coders × 12 units: %s α = %s',
    (level, expected) => {
      const r = krippendorffAlpha(KRIPPENDORFF_2011, level);
      expect(r.value).toBeCloseTo(expected, 3);
      // Unit 12 has one value, so 11 units and 40 values are pairable (3 + 8 × 4 + 3 + 2).
      expect(r).toMatchObject({ n: 11, pairableUnits: 11, pairableValues: 40 });
    },
  );

  it('is unchanged by permuting units or coders (property)', () => {
    for (const level of MEASUREMENT_LEVELS) {
      const base = krippendorffAlpha(KRIPPENDORFF_2011, level).value ?? NaN;
      const order = shuffled([...Array(12).keys()], 7);
      const byUnits = KRIPPENDORFF_2011.map((row) => order.map((u) => row[u] ?? null));
      expect(krippendorffAlpha(byUnits, level).value).toBeCloseTo(base, 12);
      expect(krippendorffAlpha(shuffled(KRIPPENDORFF_2011, 3), level).value).toBeCloseTo(base, 12);
    }
  });

  it('is 1 for identical coders with at least 2 values, at every level', () => {
    const row = [1, 2, 3, null, 5, 2];
    for (const level of MEASUREMENT_LEVELS)
      expect(krippendorffAlpha([row, row, row], level)).toMatchObject({ value: 1, n: 5 });
  });

  it('degenerate inputs give null with a reason, never NaN', () => {
    const cases = [
      krippendorffAlpha([[1, 2, 3]], 'nominal'), // one coder
      krippendorffAlpha(
        [
          [2, 2, null],
          [2, 2, 2],
        ],
        'interval',
      ), // one value
      krippendorffAlpha(
        [
          [null, null],
          [null, null],
        ],
        'ordinal',
      ), // all missing
      krippendorffAlpha(
        [
          [1, null],
          [null, 2],
        ],
        'nominal',
      ), // nothing pairable
      krippendorffAlpha(
        [
          [-1, 2],
          [-1, 3],
        ],
        'ratio',
      ), // negative on a ratio scale
    ];
    for (const r of cases) {
      expect(r.value).toBeNull();
      expect(r.reason).toMatch(/\w/);
    }
    expect(cases[1]?.reason).toContain('every pairable value is 2');
    expect(() => krippendorffAlpha([[1, 2], [1]], 'nominal')).toThrow(RangeError);
  });
});

describe("Cohen's κ", () => {
  it("Cohen's κ, the common two-rater yes/no example (50 items: 20/15 agree, 5/10 disagree): κ = 0.40", () => {
    // p_o = 35/50 = .70; A says yes 25 times, B 30: p_e = .5·.6 + .5·.4 = .50; κ = (.70 − .50)/(1 − .50) = .40.
    const r = cohenKappa(YES_NO_A, YES_NO_B);
    expect(r.value).toBeCloseTo(0.4, 12);
    expect(r).toMatchObject({ n: 50, droppedPairs: 0 });
    expect(r.observedAgreement).toBeCloseTo(0.7, 12);
    expect(r.chanceAgreement).toBeCloseTo(0.5, 12);
    // Pairs with a missing side are dropped, not counted as disagreement.
    expect(cohenKappa([...YES_NO_A, null, 'yes'], [...YES_NO_B, 'no', null])).toMatchObject({
      value: expect.closeTo(0.4, 12),
      n: 50,
      droppedPairs: 2,
    });
  });

  it('weighted κ, a hand-computed 3 × 3 example (Cohen 1968 linear; Fleiss & Cohen 1973 quadratic)', () => {
    // A rows × B columns: [10 4 1; 3 12 5; 1 3 11], N = 50; row sums 15 20 15, column sums 14 19 17.
    // Unweighted: p_o = 33/50, p_e = (15·14 + 20·19 + 15·17)/2500 = 845/2500; κ = (.66 − .338)/.662 = 161/331.
    // Linear w = |i−j|/2: Σ w O = (.5·15 + 1·2)/50 = .19; Σ w E = (.5·1190 + 1·465)/2500 = .424; κ = 1 − .19/.424 = 117/212.
    // Quadratic w = (i−j)²/4: Σ w O = (.25·15 + 2)/50 = .115; Σ w E = (.25·1190 + 465)/2500 = .305; κ = 1 − .115/.305 = 38/61.
    const [a, b] = fromTable([
      [1, 1, 10],
      [1, 2, 4],
      [1, 3, 1],
      [2, 1, 3],
      [2, 2, 12],
      [2, 3, 5],
      [3, 1, 1],
      [3, 2, 3],
      [3, 3, 11],
    ]);
    expect(cohenKappa(a, b).value).toBeCloseTo(161 / 331, 12);
    expect(cohenKappa(a, b, { weights: 'linear' }).value).toBeCloseTo(117 / 212, 12);
    expect(cohenKappa(a, b, { weights: 'quadratic' }).value).toBeCloseTo(38 / 61, 12);
  });

  it('weights use category values, so an unused middle category changes nothing; categories are checked', () => {
    const a = [1, 2, 5, 5, 1, 2];
    const b = [1, 5, 5, 2, 2, 2];
    const scale = [1, 2, 3, 4, 5];
    for (const weights of ['linear', 'quadratic'] as const) {
      expect(cohenKappa(a, b, { weights }).value).toBeCloseTo(
        cohenKappa(a, b, { weights, categories: scale }).value ?? NaN,
        12,
      );
    }
    expect(() => cohenKappa(a, b, { categories: [1, 2] })).toThrow(/rating 5 is not among the categories/);
    expect(() => cohenKappa([1], [1, 2])).toThrow(RangeError);
    expect(cohenKappa(['x', 'y'], ['x', 'x'], { weights: 'linear' })).toMatchObject({
      value: null,
      reason: 'linear weights need numeric categories',
    });
  });

  it('is symmetric in a and b, and 1 for identical raters (properties)', () => {
    const rng = createRng(11);
    const a = Array.from({ length: 40 }, () => 1 + Math.floor(rng() * 5));
    const b = a.map((x) => (rng() < 0.6 ? x : 1 + Math.floor(rng() * 5)));
    for (const weights of ['none', 'linear', 'quadratic'] as const) {
      const ab = cohenKappa(a, b, { weights }).value ?? NaN;
      expect(cohenKappa(b, a, { weights }).value).toBeCloseTo(ab, 12);
      expect(ab).toBeGreaterThan(0);
      expect(ab).toBeLessThan(1);
      expect(cohenKappa(a, a, { weights }).value).toBe(1);
    }
  });

  it('degenerate inputs give null with a reason, never NaN', () => {
    const oneCategory = cohenKappa([3, 3, 3], [3, 3, 3], { weights: 'quadratic', categories: [1, 2, 3] });
    expect(oneCategory).toMatchObject({ value: null, n: 3, reason: expect.stringContaining('chance agreement is 1') });
    expect(cohenKappa(['a', 'a'], ['a', 'a'])).toMatchObject({ value: null, reason: expect.any(String) });
    expect(cohenKappa([null, 1], [2, null])).toMatchObject({
      value: null,
      n: 0,
      reason: 'no item was rated by both raters',
      droppedPairs: 2,
    });
    expect(cohenKappa([], [])).toMatchObject({ value: null, n: 0 });
  });
});

describe("Fleiss' κ", () => {
  it("Fleiss (1971) via Wikipedia's worked example, 10 subjects × 14 raters × 5 categories: κ ≈ 0.210", () => {
    const r = fleissKappa(FLEISS_1971);
    expect(r.value).toBeCloseTo(0.21, 3);
    expect(r.observedAgreement).toBeCloseTo(0.378, 3); // P̄ as on Wikipedia
    expect(r.chanceAgreement).toBeCloseTo(0.213, 3); // P̄_e as on Wikipedia
    expect(r).toMatchObject({ n: 10, ratersPerUnit: 14 });
  });

  it('from raw ratings keeps the units with the modal number of ratings and says how many it dropped', () => {
    const ratings: (number | null)[][] = FLEISS_1971.map((row) =>
      row.flatMap((count, k) => Array<number>(count).fill(k + 1)),
    );
    ratings.push([1, 2, null, 3], [4]); // 3 ratings, 1 rating: both dropped
    const r = fleissKappaFromRatings(shuffled(ratings, 5));
    expect(r.value).toBeCloseTo(fleissKappa(FLEISS_1971).value ?? NaN, 12);
    expect(r).toMatchObject({ n: 10, droppedUnits: 2, ratersPerUnit: 14 });
  });

  it('is 1 under perfect agreement; degenerate inputs give null with a reason', () => {
    expect(
      fleissKappa([
        [3, 0],
        [0, 3],
        [3, 0],
      ]).value,
    ).toBe(1);
    expect(
      fleissKappa([
        [4, 0],
        [4, 0],
      ]),
    ).toMatchObject({ value: null, reason: expect.stringContaining('one category') });
    expect(
      fleissKappa([
        [1, 0],
        [0, 1],
      ]),
    ).toMatchObject({ value: null, reason: 'needs at least 2 ratings per unit, got 1' });
    expect(fleissKappa([])).toMatchObject({ value: null, n: 0 });
    expect(fleissKappaFromRatings([[null, null], [1]])).toMatchObject({ value: null, droppedUnits: 2 });
    expect(() =>
      fleissKappa([
        [2, 1],
        [1, 1],
      ]),
    ).toThrow(/ratings/);
  });
});

describe("Gwet's AC1 and percent agreement", () => {
  it('Gwet (2008) AC1, a hand-computed 3-category example, with K from the scale', () => {
    // p_o = 8/10. Marginals A: 7 2 1, B: 6 2 2 → π = .65 .20 .15; Σ π(1−π) = .2275 + .16 + .1275 = .515.
    // K = 3: p_e = .515/2 = .2575, AC1 = (.8 − .2575)/.7425 = .5425/.7425. K = 4 (category 4 unused): p_e = .515/3.
    const a = [1, 1, 1, 1, 1, 1, 1, 2, 2, 3];
    const b = [1, 1, 1, 1, 1, 1, 2, 2, 3, 3];
    expect(gwetAC1(a, b)).toMatchObject({ value: expect.closeTo(0.5425 / 0.7425, 12), n: 10, categories: 3 });
    expect(gwetAC1(a, b, [1, 2, 3, 4]).value).toBeCloseTo((0.8 - 0.515 / 3) / (1 - 0.515 / 3), 12);
    expect(percentAgreement(a, b)).toEqual({ value: 0.8, n: 10 });
  });

  it('Gwet (2008) AC1 stays high where κ collapses on a skewed sample (hand-computed 2 × 2)', () => {
    // 118 yes/yes, 5 yes/no, 2 no/yes, 0 no/no: p_o = .944; π_yes = 243/250 = .972 → p_e = 2·.972·.028 = .054432,
    // AC1 = .889568/.945568; κ's p_e = (123·120 + 2·5)/125² = .94528 → κ = (.944 − .94528)/.05472 ≈ −0.023.
    const [a, b] = fromTable([
      ['yes', 'yes', 118],
      ['yes', 'no', 5],
      ['no', 'yes', 2],
    ]);
    expect(gwetAC1(a, b).value).toBeCloseTo(0.889568 / 0.945568, 12);
    expect(cohenKappa(a, b).value).toBeCloseTo(-0.00128 / 0.05472, 12);
  });

  it('degenerate inputs give null with a reason; identical raters give 1', () => {
    expect(gwetAC1([1, 2, 1], [1, 2, 1]).value).toBe(1);
    expect(gwetAC1(['a', 'a'], ['a', 'a'])).toMatchObject({ value: null, categories: 1, reason: expect.any(String) });
    expect(gwetAC1([null], [null])).toMatchObject({ value: null, n: 0, droppedPairs: 1 });
    expect(percentAgreement([null, 1], [1, null])).toMatchObject({ value: null, n: 0, reason: expect.any(String) });
  });
});
