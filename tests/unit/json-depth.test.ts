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

  it('finds siblings deep after a shallow start, and refuses 10 MB of nesting faster than parsing 128 KB of it', () => {
    expect(jsonDepthExceeds(`[1,2,{"a":"]]]"},${nested(10)}]`, 10)).toBe(true);
    // Compared with JSON.parse in the same process, not with a fixed time: the check stops at the cap, so a body of
    // 10 MB costs it less than the parser needs for an eightieth of that (no fixed number of ms holds on a busy machine).
    // Decoded from bytes as a request body is: a flat string, not the rope `+` makes (whose flattening would be timed).
    const huge = Buffer.from(nested(5 * 1024 * 1024)).toString('utf8');
    const small = Buffer.from(nested(64 * 1024)).toString('utf8');
    let started = performance.now();
    expect(jsonDepthExceeds(huge, 64)).toBe(true);
    const check = performance.now() - started;
    started = performance.now();
    expect(Array.isArray(JSON.parse(small))).toBe(true);
    const parse = performance.now() - started;
    expect(check).toBeLessThan(parse);
  });
});
