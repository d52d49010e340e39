import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();

/** Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders × 12 units, empty = missing. */
const KRIPPENDORFF_CSV = writeFile(
  dir,
  'krippendorff-2011.csv',
  [
    'coder,u1,u2,u3,u4,u5,u6,u7,u8,u9,u10,u11,u12',
    'A,1,2,3,3,2,1,4,1,2,,,',
    'B,1,2,3,3,2,2,4,1,2,5,,3',
    'C,,3,3,3,2,3,4,2,2,5,1,',
    'D,1,2,3,3,2,4,4,1,2,5,1,',
  ].join('\r\n'),
);

/** The common yes/no example: 20 yes/yes, 15 no/no, 5 yes/no, 10 no/yes (κ = 0.40); no header row. */
const pairs = [
  ...Array<string>(20).fill('yes/yes'),
  ...Array<string>(15).fill('no/no'),
  ...Array<string>(5).fill('yes/no'),
  ...Array<string>(10).fill('no/yes'),
];
const COHEN_CSV = writeFile(
  dir,
  'cohen.csv',
  `"rater, first",${pairs.map((p) => p.split('/')[0]).join(',')}\nsecond,${pairs.map((p) => p.split('/')[1]).join(',')}\n`,
);

describe('prefdisco stats alpha', () => {
  it.each([
    ['nominal', '0.743'],
    ['ordinal', '0.815'],
    ['interval', '0.849'],
    ['ratio', '0.797'],
  ])('Krippendorff (2011) reliability data: %s α = %s, n = 11 pairable units', async (level, expected) => {
    const r = await runCli(['stats', 'alpha', '--level', level, KRIPPENDORFF_CSV]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`Krippendorff's alpha (${level}): ${expected} (n = 11 pairable units, 40 values)`);
    expect(r.stderr).toBe('');
  });

  it('--json prints {statistic, level, value, n}', async () => {
    const r = await runCli(['stats', 'alpha', '--json', '--level', 'interval', KRIPPENDORFF_CSV]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['statistic', 'level', 'value', 'n']);
    expect(out).toMatchObject({ statistic: 'krippendorff-alpha', level: 'interval', n: 11 });
    expect(out.value).toBeCloseTo(0.849, 3);
  });

  it('an undefined value exits 1 with the reason, in text and in JSON', async () => {
    const file = writeFile(dir, 'one-value.csv', 'A,2,2,\nB,2,,2\n');
    const text = await runCli(['stats', 'alpha', '--level', 'nominal', file]);
    expect(text.code).toBe(1);
    expect(text.stdout.trim()).toBe(
      "Krippendorff's alpha (nominal): undefined: every pairable value is 2: expected disagreement is 0 (n = 1)",
    );
    const json = await runCli([
      'stats',
      'alpha',
      '--level',
      'ordinal',
      '--json',
      writeFile(dir, 'one-coder.csv', 'A,1,2,3\n'),
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      statistic: 'krippendorff-alpha',
      level: 'ordinal',
      value: null,
      n: 0,
      reason: 'needs at least 2 coders, got 1',
    });
  });

  it('malformed or unreadable files exit 2 naming the line', async () => {
    const ragged = await runCli([
      'stats',
      'alpha',
      '--level',
      'nominal',
      writeFile(dir, 'ragged.csv', 'coder,u1,u2\nA,1,2\n\nB,1\n'),
    ]);
    expect(ragged.code).toBe(2);
    expect(ragged.stderr).toContain('ragged.csv:4: 2 cells, expected 3 like the first row');
    const text = await runCli(['stats', 'alpha', '--level', 'interval', writeFile(dir, 'star.csv', 'A,1,*\nB,1,2\n')]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('star.csv:1: column 3 ("*") is not a number');
    const twin = await runCli(['stats', 'alpha', '--level', 'nominal', writeFile(dir, 'twin.csv', 'A,1,2\nA,1,2\n')]);
    expect(twin.stderr).toContain('twin.csv:2: coder "A" already appears on line 1');
    const missing = await runCli(['stats', 'alpha', '--level', 'nominal', `${dir}/missing.csv`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.csv: no such file');
  });

  it('usage mistakes exit 2 with the usage', async () => {
    const noLevel = await runCli(['stats', 'alpha', KRIPPENDORFF_CSV]);
    expect(noLevel.code).toBe(2);
    expect(noLevel.stderr).toContain('--level: expected one of nominal, ordinal, interval, ratio');
    expect(noLevel.stderr).toContain('Usage: prefdisco');
    expect((await runCli(['stats', 'beta', KRIPPENDORFF_CSV])).code).toBe(2);
    expect((await runCli(['stats'])).code).toBe(2);
    expect((await runCli(['stats', 'alpha', '--level', 'nominal'])).code).toBe(2);
  });
});

describe('prefdisco stats kappa', () => {
  it("Cohen's κ, the common two-rater yes/no example (50 items): κ = 0.400, quoted coder names allowed", async () => {
    const r = await runCli(['stats', 'kappa', COHEN_CSV]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("Cohen's kappa: 0.400 (n = 50 units rated by both)");
    const json = await runCli(['stats', 'kappa', '--weights', 'none', '--json', COHEN_CSV]);
    expect(JSON.parse(json.stdout)).toEqual({
      statistic: 'cohen-kappa',
      weights: 'none',
      value: expect.closeTo(0.4, 12),
      n: 50,
    });
  });

  it('weighted κ on numeric ratings, with missing cells dropped (hand-computed: 3 × 3 table of the unit tests)', async () => {
    // Joint table [10 4 1; 3 12 5; 1 3 11] plus two half-missing pairs: linear κ = 117/212, quadratic 38/61.
    const cells: [number, number, number][] = [
      [1, 1, 10],
      [1, 2, 4],
      [1, 3, 1],
      [2, 1, 3],
      [2, 2, 12],
      [2, 3, 5],
      [3, 1, 1],
      [3, 2, 3],
      [3, 3, 11],
    ];
    const p = cells.flatMap(([x, y, c]) => Array.from({ length: c }, () => [String(x), String(y)]));
    p.push(['1', ''], ['', '3']);
    const file = writeFile(
      dir,
      'weighted.csv',
      `coder,${p.map((_, i) => `item${i}`).join(',')}\nA,${p.map((x) => x[0]).join(',')}\nB,${p.map((x) => x[1]).join(',')}\n`,
    );
    const linear = await runCli(['stats', 'kappa', '--weights', 'linear', file]);
    expect(linear.stdout.trim()).toBe(
      `Cohen's kappa (linear weights): ${(117 / 212).toFixed(3)} (n = 50 units rated by both; 2 dropped with a missing rating)`,
    );
    const quadratic = await runCli(['stats', 'kappa', '--weights', 'quadratic', '--json', file]);
    expect(JSON.parse(quadratic.stdout)).toMatchObject({
      weights: 'quadratic',
      value: expect.closeTo(38 / 61, 12),
      n: 50,
    });
  });

  it('needs exactly two coder rows and numeric ratings for weights (exit 2); one shared category is undefined (exit 1)', async () => {
    const three = await runCli(['stats', 'kappa', KRIPPENDORFF_CSV]);
    expect(three.code).toBe(2);
    expect(three.stderr).toContain('krippendorff-2011.csv: kappa needs exactly 2 coder rows, found 4');
    const labels = await runCli(['stats', 'kappa', '--weights', 'quadratic', COHEN_CSV]);
    expect(labels.code).toBe(2);
    expect(labels.stderr).toContain(
      'cohen.csv:1: column 2 ("yes") is not a number; --weights quadratic needs numeric ratings',
    );
    expect((await runCli(['stats', 'kappa', '--weights', 'cubic', COHEN_CSV])).code).toBe(2);
    const same = await runCli(['stats', 'kappa', writeFile(dir, 'same.csv', 'A,yes,yes\nB,yes,yes\n')]);
    expect(same.code).toBe(1);
    expect(same.stdout).toContain(
      "Cohen's kappa: undefined: both raters used one and the same category: chance agreement is 1 (n = 2)",
    );
  });
});
