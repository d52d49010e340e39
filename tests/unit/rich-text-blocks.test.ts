import { describe, expect, it } from 'vitest';
import { normalizeMathDelimiters } from '../../client/src/ui/rich-text/math-delimiters.ts';
import { splitTextBlocks } from '../../client/src/ui/rich-text/text-blocks.ts';

describe('normalizeMathDelimiters', () => {
  it('keeps dollar math that follows Pandoc’s rule, as the sample’s MATH and AIME tasks write it', () => {
    const aime = 'Find the number of positive integers $n \\le 1000$ such that $n^2 + n + 1$ is divisible by $91$.';
    expect(normalizeMathDelimiters(aime)).toBe(aime);
    expect(normalizeMathDelimiters('side $6$ and $\\boxed{27\\sqrt{3}}$.')).toBe(
      'side $6$ and $\\boxed{27\\sqrt{3}}$.',
    );
  });

  it('escapes currency and every other dollar that is not math', () => {
    expect(normalizeMathDelimiters('It costs $5 and $10 today.')).toBe('It costs \\$5 and \\$10 today.');
    expect(normalizeMathDelimiters('from $5-$10')).toBe('from \\$5-\\$10');
    expect(normalizeMathDelimiters('pay $ 5 $ now')).toBe('pay \\$ 5 \\$ now');
    // A closing dollar right before a digit is currency ("$x$5" is not x followed by 5).
    expect(normalizeMathDelimiters('a $x$5')).toBe('a \\$x\\$5');
    // Already escaped dollars stay as they are.
    expect(normalizeMathDelimiters('US\\$5 and $y$')).toBe('US\\$5 and $y$');
  });

  it('turns \\( \\) into inline and \\[ \\] into display math', () => {
    expect(normalizeMathDelimiters('A \\( x^2 \\) here')).toBe('A $x^2$ here');
    expect(normalizeMathDelimiters('\\[\n\\frac{1}{8}\n\\]')).toBe('$$\n\\frac{1}{8}\n$$');
    expect(normalizeMathDelimiters('so \\[ y = 1 \\] holds')).toBe('so \n$$\ny = 1\n$$\n holds');
  });

  it('puts a one-line $$…$$ on lines of its own, so it is display math', () => {
    expect(normalizeMathDelimiters('Hence\n$$\\frac{27}{216}$$\nwins')).toBe('Hence\n$$\n\\frac{27}{216}\n$$\nwins');
    // Inside a sentence it stays inline.
    expect(normalizeMathDelimiters('so $$x$$ is')).toBe('so $$x$$ is');
  });

  it('shows a delimiter still arriving as text, and never pairs math across a blank line', () => {
    expect(normalizeMathDelimiters('The area is $3\\sqrt')).toBe('The area is \\$3\\sqrt');
    expect(normalizeMathDelimiters('$$\n\\frac{1}')).toBe('\\$\\$\n\\frac{1}');
    expect(normalizeMathDelimiters('a $b\n\nc$ d')).toBe('a \\$b\n\nc\\$ d');
    expect(normalizeMathDelimiters('\\( x \n\n y \\)')).toBe('\\( x \n\n y \\)');
  });

  it('leaves code exactly as written', () => {
    const text = 'Use `$PATH` and `\\(x\\)`:\n```sh\necho $HOME $5\n\\[ not math \\]\n```\nthen $x$.';
    expect(normalizeMathDelimiters(text)).toBe(text);
    expect(normalizeMathDelimiters('~~~\n$a\n')).toBe('~~~\n$a\n');
  });

  it('a paragraph that is complete does not change as more text streams in', () => {
    const full = 'First $x$ costs $5.\n\nThen \\(y\\) and \\[z\\]\n\nLast $$w$$';
    const done = normalizeMathDelimiters('First $x$ costs $5.\n\n');
    for (let i = 'First $x$ costs $5.\n\n'.length; i <= full.length; i++) {
      expect(normalizeMathDelimiters(full.slice(0, i)).startsWith(done)).toBe(true);
    }
  });
});

describe('splitTextBlocks', () => {
  it('cuts at blank lines', () => {
    expect(splitTextBlocks('one\ntwo\n\n\nthree\n\nfour\n')).toEqual(['one\ntwo', 'three', 'four']);
    expect(splitTextBlocks('\n\n')).toEqual([]);
  });

  it('never cuts inside a code fence or a $$ block', () => {
    const text = 'a\n\n```js\nx\n\ny\n```\n\n~~~~\np\n\n~~~~\n\n$$\nu\n\nv\n$$\n\nz';
    expect(splitTextBlocks(text)).toEqual(['a', '```js\nx\n\ny\n```', '~~~~\np\n\n~~~~', '$$\nu\n\nv\n$$', 'z']);
  });

  it('keeps an indented line with the block above (a list item’s second paragraph is not code)', () => {
    expect(splitTextBlocks('1. first\n\n   more about it\n\n2. second')).toEqual([
      '1. first\n\n   more about it',
      '2. second',
    ]);
  });

  it('an unclosed fence keeps the rest of the text in one block while it streams', () => {
    expect(splitTextBlocks('intro\n\n```\ncode\n\nstill code')).toEqual(['intro', '```\ncode\n\nstill code']);
  });

  it('blocks already complete keep their text as the stream grows', () => {
    const full = 'Intro $x$.\n\n- a\n- b\n\n```\nc\n\nd\n```\n\n$$\ne\n$$\n\nEnd.';
    const finalBlocks = splitTextBlocks(normalizeMathDelimiters(full));
    expect(finalBlocks).toHaveLength(5);
    for (let i = 1; i <= full.length; i++) {
      const blocks = splitTextBlocks(normalizeMathDelimiters(full.slice(0, i)));
      // Every block but the last one is already final.
      blocks.slice(0, -1).forEach((b, k) => expect(b).toBe(finalBlocks[k]));
    }
  });
});
