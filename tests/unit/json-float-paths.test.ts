import { describe, expect, it } from 'vitest';
import { integralFloatPaths } from '../../shared/benchmark/json-float-paths.ts';
import { profileFloatPaths } from '../../server/services/benchmark/profile-floats.ts';
import { attachedIntegralFloats, attachIntegralFloats } from '../../shared/benchmark/record-floats.ts';

describe('integralFloatPaths with onlyKeys and parsed', () => {
  const text =
    '{"skip": {"a": [1.0, "x\\"}]", {"b": 2e0}], "c": "\\\\"}, "keep": {"d\\"e": 3.0, "f": [4.00, 4.5, 5E+1]},' +
    ' "tail": [6.0], "keep2": -0.0}';

  it('reads only the members asked for and steps over the others, escaped quotes and brackets in strings included', () => {
    JSON.parse(text);
    expect([...integralFloatPaths(text)]).toEqual([
      '$["skip"]["a"][0]',
      '$["skip"]["a"][2]["b"]',
      '$["keep"]["d\\"e"]',
      '$["keep"]["f"][0]',
      '$["keep"]["f"][2]',
      '$["tail"][0]',
      '$["keep2"]',
    ]);
    expect([...integralFloatPaths(text, { parsed: true, onlyKeys: new Set(['keep', 'keep2']) })]).toEqual([
      '$["keep"]["d\\"e"]',
      '$["keep"]["f"][0]',
      '$["keep"]["f"][2]',
      '$["keep2"]',
    ]);
  });

  it('counts the forms Python writes (zeros only after the point, or an exponent), not longer decimals', () => {
    expect([...integralFloatPaths('[4.0000000000000000001, 1.5e1, 2.50e0, 100]')]).toEqual(['$[1]']);
  });

  it('still refuses text that is not JSON unless the caller parsed it', () => {
    expect(() => integralFloatPaths('{"a": 4.0')).toThrow(SyntaxError);
    expect(() => integralFloatPaths('{"a": "4.0', { parsed: true })).toThrow(SyntaxError);
  });
});

describe('profileFloatPaths', () => {
  it('skips lines without a float-shaped number: hex ids and weights such as 0.25 do not count', () => {
    const line = JSON.stringify({
      problem_id: 'problem_4_demir0_22e9d128',
      persona: { id: 'demir0_22e9d128', age: 40 },
      persona_preferences: { p: { value: 3 } },
      evaluation_rubric: { evaluation_criteria: [{ weight: 0.25 }, { weight: 0.0625 }] },
    });
    expect(profileFloatPaths(line).size).toBe(0);
  });

  it('keeps only the persona and its preferences, in Python spacing too', () => {
    const line =
      '{"problem_id": "p", "persona": {"age": 47.0, "note": "x: 2.0,"}, "persona_preferences": {"p": {"value": 4.0}},' +
      ' "evaluation_rubric": {"evaluation_criteria": [{"weight": 1.0}]}}';
    expect([...profileFloatPaths(line)]).toEqual(['$["persona"]["age"]', '$["persona_preferences"]["p"]["value"]']);
  });
});

describe('record float paths attached by storage', () => {
  it('travel with the record object, not with a copy, and an empty set attaches nothing', () => {
    const record = { persona: {}, persona_preferences: {} };
    const paths = new Set(['$["persona"]["age"]']);
    expect(attachIntegralFloats(record, paths)).toBe(record);
    expect(attachedIntegralFloats(record)).toBe(paths);
    expect(attachedIntegralFloats({ ...record })).toBeUndefined();
    const other = attachIntegralFloats({}, new Set());
    expect(attachedIntegralFloats(other)).toBeUndefined();
    expect(JSON.stringify(record)).toBe('{"persona":{},"persona_preferences":{}}');
  });
});

describe('integralFloatPaths on generated documents', () => {
  /** A small seeded generator (mulberry32), so a failure repeats. */
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const STRINGS = ['plain', 'say "4.0", then \\', '{"a": [1.0]}', 'back\\\\', 'ü ✓ \n tab\t', ''];

  /** Writes a random value as JSON text with random spacing, and records where it wrote a whole number as a float. */
  function document(random: () => number): { text: string; expected: string[] } {
    const expected: string[] = [];
    const space = (): string => [' ', '', '\n  ', '\t'][Math.floor(random() * 4)] ?? '';
    const value = (path: string, depth: number): string => {
      const r = random();
      if (depth < 4 && r < 0.2) {
        const n = Math.floor(random() * 4);
        const keys = Array.from({ length: n }, (_, i) => `${STRINGS[Math.floor(random() * STRINGS.length)]}${i}`);
        return `{${keys.map((k) => `${space()}${JSON.stringify(k)}${space()}:${space()}${value(`${path}[${JSON.stringify(k)}]`, depth + 1)}`).join(',')}${space()}}`;
      }
      if (depth < 4 && r < 0.35) {
        const n = Math.floor(random() * 4);
        return `[${Array.from({ length: n }, (_, i) => `${space()}${value(`${path}[${i}]`, depth + 1)}`).join(',')}${space()}]`;
      }
      if (r < 0.5) return JSON.stringify(STRINGS[Math.floor(random() * STRINGS.length)]);
      if (r < 0.6) return ['true', 'false', 'null'][Math.floor(random() * 3)] ?? 'null';
      const whole = Math.floor(random() * 200) - 100;
      const form = Math.floor(random() * 5);
      if (form === 0) return String(whole);
      if (form === 1) return `${whole}.25`;
      if (form === 2) return `${whole}.25e0`;
      expected.push(path);
      return form === 3 ? `${whole}.00` : `${whole}E+0`;
    };
    return { text: `${space()}${value('$', 0)}${space()}`, expected };
  }

  it('finds exactly the floats written, scanning as a whole or only some root members', () => {
    const random = rng(20261203);
    for (let i = 0; i < 500; i++) {
      const { text, expected } = document(random);
      const parsed: unknown = JSON.parse(text);
      expect(new Set(integralFloatPaths(text, { parsed: true }))).toEqual(new Set(expected));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const some = new Set(Object.keys(parsed).filter((_, k) => k % 2 === 0));
        const kept = expected.filter((p) => [...some].some((k) => p.startsWith(`$[${JSON.stringify(k)}]`)));
        expect(new Set(integralFloatPaths(text, { parsed: true, onlyKeys: some }))).toEqual(new Set(kept));
      }
    }
  });
});
