import { describe, expect, it } from 'vitest';
import { raterOrder } from '../../server/storage/rater-order.ts';
import { createRng, randomInt } from '../../shared/stats/random.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Ids shaped like the app's (16 base64url characters), drawn from a seeded generator so a failure replays. */
function ids(rng: () => number, count: number): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: 16 }, () => ALPHABET[randomInt(rng, ALPHABET.length)]).join(''),
  );
}

const orderFor = (rater: string, items: readonly string[]) =>
  [...items].sort((a, b) => raterOrder(rater, a) - raterOrder(rater, b)).join(' ');

describe('a rater’s own order of tied items', () => {
  it('differs between two raters as a shuffle would: no two of 20,000 rater pairs share an order of 10 items', () => {
    // A fair shuffle repeats an order of 10 with chance 1 in 10! (3.6 million). The plain FNV-1a hash did it about once
    // in 800 pairs, which made two raters of a study walk one queue in lockstep.
    const rng = createRng(20261204);
    let same = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const items = ids(rng, 10);
      const [first, second] = ids(rng, 2);
      if (orderFor(first ?? '', items) === orderFor(second ?? '', items)) same += 1;
    }
    expect(same).toBe(0);
  });

  it('puts each item first about equally often across raters', () => {
    const rng = createRng(7);
    const items = ids(rng, 5);
    const firsts = new Map<string, number>();
    for (const rater of ids(rng, 5_000)) {
      const first = orderFor(rater, items).split(' ')[0] ?? '';
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // 1,000 expected each; a fair shuffle stays within ±150 with near certainty (sd ≈ 28).
    for (const item of items) expect(firsts.get(item) ?? 0, item).toBeGreaterThan(850);
    for (const item of items) expect(firsts.get(item) ?? 0, item).toBeLessThan(1150);
  });

  it('is the same for the same rater and item, as both storage engines need', () => {
    expect(raterOrder('rater-a', 'item-1')).toBe(raterOrder('rater-a', 'item-1'));
    expect(raterOrder('rater-a', 'item-1')).toBeGreaterThanOrEqual(0);
    expect(raterOrder('rater-a', 'item-1')).toBeLessThan(2 ** 32);
  });
});
