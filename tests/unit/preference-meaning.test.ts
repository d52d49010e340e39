import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { BenchmarkRecordSchema, RECORD_TYPE, type BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { meaningText, valueMeaning } from '../../client/src/features/participant/preference-meaning.ts';

/** What an actor reads beside a hidden preference's value, checked on the shipped sample's real records. */

const records: BenchmarkRecord[] = readFileSync(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line): unknown => JSON.parse(line))
  .filter((r) => typeof r === 'object' && r !== null && 'type' in r && r.type === RECORD_TYPE)
  .map((r) => BenchmarkRecordSchema.parse(r));

const preference = (problemId: string, name: string) => {
  const p = records.find((r) => r.problem_id === problemId)?.persona_preferences[name];
  if (!p) throw new Error(`sample has no ${name} in ${problemId}`);
  return p;
};
const shown = (p: { value: unknown; value_range?: string | undefined }) => {
  const meaning = valueMeaning(p.value, p.value_range ?? null);
  return meaning && meaningText(meaning);
};

describe('a hidden preference value shown with its meaning', () => {
  it('Comfort with Square Roots: 2 reads as leaning toward the low end, with both ends of the scale', () => {
    const p = preference('problem_0_okafor_3b09eb59', 'Comfort with Square Roots');
    expect(p.value).toBe(2);
    expect(shown(p)).toEqual({
      where: 'of 1–5, leaning toward “roots feel like magic”',
      label: 'Scale',
      scale: '1 = roots feel like magic · 5 = manipulates radicals freely',
    });
  });

  it('a value at the high side leans toward the high end; one in the middle names both ends', () => {
    const honey = preference('problem_0_okafor_3b09eb59', 'Honeycomb Connection');
    expect(honey.value).toBe(4);
    expect(shown(honey)?.where).toBe('of 1–5, leaning toward “link it to her own hives”');
    const area = preference('problem_0_okafor_3b09eb59', 'Triangle Area Formula');
    expect(area.value).toBe(3);
    expect(shown(area)?.where).toBe('of 1–5, midway between “unfamiliar” and “completely automatic”');
  });

  it('a value on a named point shows that point’s words', () => {
    expect(shown({ value: 5, value_range: '1-5 (1: unfamiliar, 5: completely automatic)' })?.where).toBe(
      'of 1–5: “completely automatic”',
    );
    // Anchor text may hold commas; only a comma before the next "n:" starts a new anchor.
    expect(shown({ value: '1', value_range: '1-5 (1: slow, careful, 5: fast)' })).toEqual({
      where: 'of 1–5: “slow, careful”',
      label: 'Scale',
      scale: '1 = slow, careful · 5 = fast',
    });
  });

  it('a categorical value keeps its options as written; a value off the scale is not interpreted', () => {
    const picture = preference('problem_0_okafor_3b09eb59', 'Picture Before Formula');
    expect(shown(picture)).toEqual({
      where: null,
      label: 'Options',
      scale: 'picture first, formula first, side by side',
    });
    expect(shown({ value: 9, value_range: '1-5 (1: a, 5: b)' })).toEqual({
      where: null,
      label: 'Scale',
      scale: '1-5 (1: a, 5: b)',
    });
    expect(shown({ value: 2 })).toBeNull();
  });

  it('every numeric value in the sample gets a position and both ends of its scale', () => {
    const numeric = records
      .flatMap((r) => Object.values(r.persona_preferences))
      .filter((p) => typeof p.value === 'number');
    expect(numeric.length).toBeGreaterThan(100);
    for (const p of numeric) {
      const meaning = valueMeaning(p.value, p.value_range ?? null);
      expect(meaning?.kind, `${p.name}: ${p.value_range}`).toBe('scale');
      if (meaning?.kind !== 'scale') continue;
      expect(meaning.anchors.map((a) => a.point)).toEqual([meaning.min, meaning.max]);
      expect(meaningText(meaning).where).toMatch(/^of \d+–\d+[,:] /);
    }
  });
});
