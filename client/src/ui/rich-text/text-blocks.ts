/**
 * Cuts Markdown into its top-level blocks so a streaming message is parsed and drawn block by block: the blocks
 * already complete keep the same text as more arrives, so their memoized components never render again and only
 * the last, growing block is parsed per chunk.
 *
 * A block ends at a blank line, except
 * - inside a ``` or ~~~ fence, or a `$$` math block (until its closing line),
 * - before an indented line: that continues the block above (a list item's second paragraph, nested lists), and
 *   cut off on its own it would read as indented code.
 * Expects the text after `normalizeMathDelimiters`, whose math never spans a blank line.
 */
export function splitTextBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let blanks = 0;
  let closeFence: RegExp | null = null;
  let inMath = false;
  for (const line of text.split('\n')) {
    if (closeFence || inMath) {
      current.push(line);
      if (closeFence?.test(line)) closeFence = null;
      else if (inMath && MATH_FENCE.test(line)) inMath = false;
      continue;
    }
    if (line.trim() === '') {
      if (current.length > 0) blanks++;
      continue;
    }
    if (blanks > 0 && !/^\s/.test(line)) {
      blocks.push(current.join('\n'));
      current = [];
    } else {
      for (; blanks > 0; blanks--) current.push('');
    }
    blanks = 0;
    current.push(line);
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      closeFence = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    } else if (MATH_OPEN.test(line)) {
      inMath = true;
    }
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
/** A line opening a `$$` block: `$$` with no closing `$$` later on the same line. */
const MATH_OPEN = /^\s*\$\$(?!.*\$\$)/;
const MATH_FENCE = /^\s*\$\$\s*$/;
