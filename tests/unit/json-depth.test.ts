import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from '../../server/plugins/body-limits.ts';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects together, up to and past the cap', () => {
    expect(jsonDepthExceeds(nested(64), 64)).toBe(false);
    expect(jsonDepthExceeds(nested(65), 64)).toBe(true);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ text: '[[[[[[[[[[' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ text: 'say \\"[[[[[[[[' }), 2)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify(['\\', [[[]]]]), 3)).toBe(true);
  });

  it('finds siblings deep after a shallow start, and 10 MB of nesting quickly', () => {
    expect(jsonDepthExceeds(`[1,2,{"a":"]]]"},${nested(10)}]`, 10)).toBe(true);
    const started = performance.now();
    expect(jsonDepthExceeds(nested(5 * 1024 * 1024), 64)).toBe(true);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
