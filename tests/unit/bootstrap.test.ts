import { describe, expect, it } from 'vitest';
import { bootstrapCi, bootstrapCis, mean } from '../../shared/stats/bootstrap.ts';
import { createRng, randomInt } from '../../shared/stats/random.ts';

/** A statistic: the mean of `values` over the resampled indices. */
const meanOf =
  (values: readonly number[]) =>
  (indices: ArrayLike<number>): number => {
    let sum = 0;
    for (let i = 0; i < indices.length; i++) sum += values[indices[i] as number] as number;
    return sum / indices.length;
  };

describe('createRng / randomInt', () => {
  it('is the canonical mulberry32 sequence, pinned so that a change of generator cannot go unnoticed', () => {
    // Values of the textbook closure implementation of mulberry32 for these seeds.
    const rng = createRng(42);
    expect([rng(), rng(), rng()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(createRng(0)()).toBe(0.26642920868471265);
  });

  it('stays in [0, 1) and gives integers in [0, n) that cover the range', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const u = rng();
      expect(u >= 0 && u < 1).toBe(true);
      seen.add(randomInt(rng, 7));
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => randomInt(rng, 0)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });
});

describe('mean', () => {
  it('is Σx/n, and null (not 0) for no values', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean(new Float64Array([0.5]))).toBe(0.5);
    expect(mean([])).toBeNull();
  });
});

describe('bootstrapCi', () => {
  const sample = Array.from({ length: 400 }, (_, i) => i % 20); // 0…19 twenty times: mean 9.5

  it('is reproducible: the same seed gives the same interval, another seed a different one', () => {
    const a = bootstrapCi(400, meanOf(sample), { resamples: 500, seed: 42 });
    const b = bootstrapCi(400, meanOf(sample), { resamples: 500, seed: 42 });
    const c = bootstrapCi(400, meanOf(sample), { resamples: 500, seed: 43 });
    expect(b).toEqual(a);
    expect([c.low, c.high]).not.toEqual([a.low, a.high]);
    expect(c.estimate).toBe(a.estimate);
  });

  it('gives [c, c] for a constant statistic', () => {
    expect(bootstrapCi(50, () => 3.25, { resamples: 200 })).toEqual({
      estimate: 3.25,
      low: 3.25,
      high: 3.25,
      resamples: 200,
      validResamples: 200,
    });
  });

  it('for a mean of n = 400 agrees with the normal approximation mean ± 1.96·sd/√n', () => {
    const n = sample.length;
    const m = 9.5;
    const sd = Math.sqrt(sample.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)); // √(33.25·400/399) ≈ 5.7735
    const half = (1.96 * sd) / Math.sqrt(n); // ≈ 0.5658
    const ci = bootstrapCi(n, meanOf(sample), { resamples: 2000, seed: 42 });
    expect(ci.estimate).toBe(m);
    expect(ci.low as number).toBeLessThan(m);
    expect(ci.high as number).toBeGreaterThan(m);
    // Monte Carlo error of a 2.5% percentile with 2000 resamples is about 0.017 here, so 0.06 is over 3 of those.
    expect(Math.abs((ci.low as number) - (m - half))).toBeLessThan(0.06);
    expect(Math.abs((ci.high as number) - (m + half))).toBeLessThan(0.06);
    expect(((ci.high as number) - (ci.low as number)) / (2 * half)).toBeGreaterThan(0.9);
    expect(((ci.high as number) - (ci.low as number)) / (2 * half)).toBeLessThan(1.1);
  });

  it('takes type-7 (linearly interpolated) percentiles of the resampled values', () => {
    // The statistic ignores the indices: the first call (the original sample) gives 100, the 11 resamples 0, 1, …, 10.
    // 95% bounds: h = 10 · 0.025 = 0.25 → 0 + 0.25·(1 − 0) = 0.25, and h = 10 · 0.975 = 9.75 → 9.75.
    let call = -1;
    const ci = bootstrapCi(3, () => (call++ < 0 ? 100 : call - 1), { resamples: 11, level: 0.95 });
    expect(ci).toMatchObject({ estimate: 100, resamples: 11, validResamples: 11 });
    expect(ci.low).toBeCloseTo(0.25, 12); // 1 − 0.95 is 0.05000000000000004 in floating point
    expect(ci.high).toBeCloseTo(9.75, 12);
  });

  it('narrows at a lower level', () => {
    const wide = bootstrapCi(400, meanOf(sample), { resamples: 1000, level: 0.95 });
    const narrow = bootstrapCi(400, meanOf(sample), { resamples: 1000, level: 0.5 });
    expect((narrow.high as number) - (narrow.low as number)).toBeLessThan(
      ((wide.high as number) - (wide.low as number)) / 2,
    );
  });

  it('skips and counts resamples where the statistic is null', () => {
    // Sample [0, 1]: a resample is {0,0}, {0,1}, {1,0} or {1,1}. Declaring the all-zero one undefined leaves means of
    // 0.5 or 1 only, and about 3/4 of resamples valid (binomial sd ≈ 14 out of 1000).
    const values = [0, 1];
    const ci = bootstrapCi(
      2,
      (idx) => {
        const m = meanOf(values)(idx);
        return m === 0 ? null : m;
      },
      { resamples: 1000 },
    );
    expect(ci.estimate).toBe(0.5);
    expect(ci.validResamples).toBeGreaterThan(690);
    expect(ci.validResamples).toBeLessThan(810);
    expect(ci.low).toBe(0.5);
    expect(ci.high).toBe(1);
  });

  it('returns null bounds when no resample is defined, and a null estimate when the sample itself is undefined', () => {
    expect(bootstrapCi(10, () => null, { resamples: 100 })).toEqual({
      estimate: null,
      low: null,
      high: null,
      resamples: 100,
      validResamples: 0,
    });
  });

  it('rejects invalid options', () => {
    expect(() => bootstrapCi(10, () => 1, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapCi(10, () => 1, { level: 1 })).toThrow(RangeError);
    expect(() => bootstrapCi(-1, () => 1)).toThrow(RangeError);
  });
});

describe('bootstrapCis', () => {
  it('shares resamples between statistics, so complementary rates have mirrored bounds', () => {
    const hits = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
    const [rate, complement] = bootstrapCis(
      100,
      2,
      (idx, out) => {
        const r = meanOf(hits)(idx);
        out[0] = r;
        out[1] = 1 - r;
      },
      { resamples: 400, seed: 5 },
    );
    expect(rate?.estimate).toBeCloseTo(0.3, 12);
    expect(complement?.low).toBeCloseTo(1 - (rate?.high as number), 12);
    expect(complement?.high).toBeCloseTo(1 - (rate?.low as number), 12);
  });
});
