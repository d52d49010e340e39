/**
 * Model answers and benchmark records write math in four ways: `$…$`, `$$…$$`, `\(…\)` and `\[…\]`. remark-math
 * understands only dollars, and it pairs any two single dollars, so "costs $5 and $10" would turn " and " into
 * math. This turns the text into what remark-math reads as the author meant:
 *
 * - `\(…\)` becomes `$…$` and `\[…\]` becomes a `$$` block on its own lines (display math).
 * - `$$…$$` alone on its line(s) becomes a block whose `$$` stand on lines of their own (remark-math reads
 *   `$$x$$` as inline math).
 * - A single `$` is math only by Pandoc's rule: the opening `$` has a non-space right after it, the closing `$` a
 *   non-space right before it and no digit right after it. Every other single `$` is escaped (`\$`), so currency
 *   stays text. A `$` or `$$` not yet closed (a stream still arriving) is escaped too, so half an expression reads
 *   as text until its closing delimiter comes, instead of swallowing the rest of the message.
 * - Code (fenced blocks and `inline code`) is left exactly as written.
 *
 * No math is allowed to span a blank line, so a paragraph that is complete never changes when more text arrives.
 */
export function normalizeMathDelimiters(text: string): string {
  return splitCode(text)
    .map((part) => (part.code ? part.text : normalizeProse(part.text)))
    .join('');
}

interface Part {
  text: string;
  code: boolean;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** Cuts the text into code (fences, inline code spans) and prose, keeping every character. */
function splitCode(text: string): Part[] {
  const parts: Part[] = [];
  let prose = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const eol = i < lines.length - 1 ? '\n' : '';
    const open = FENCE_OPEN.exec(line);
    if (!open) {
      prose += line + eol;
      continue;
    }
    const marker = open[1] ?? '```';
    const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let code = line + eol;
    // An unclosed fence runs to the end of the text, as Markdown reads it.
    for (i++; i < lines.length; i++) {
      const inner = lines[i] ?? '';
      code += inner + (i < lines.length - 1 ? '\n' : '');
      if (close.test(inner)) break;
    }
    parts.push(...splitInlineCode(prose), { text: code, code: true });
    prose = '';
  }
  parts.push(...splitInlineCode(prose));
  return parts.filter((p) => p.text !== '');
}

/** Inline code spans: a run of n backticks up to the next run of exactly n; an unmatched run is plain text. */
function splitInlineCode(text: string): Part[] {
  const parts: Part[] = [];
  let from = 0;
  const runs = /`+/g;
  let open: RegExpExecArray | null;
  while ((open = runs.exec(text)) !== null) {
    if (open.index > 0 && text[open.index - 1] === '\\') continue;
    const ticks = open[0];
    const close = new RegExp(`(?<!\`)${ticks}(?!\`)`, 'g');
    close.lastIndex = open.index + ticks.length;
    const end = close.exec(text);
    if (!end) continue;
    parts.push({ text: text.slice(from, open.index), code: false });
    parts.push({ text: text.slice(open.index, end.index + ticks.length), code: true });
    from = end.index + ticks.length;
    runs.lastIndex = from;
  }
  parts.push({ text: text.slice(from), code: false });
  return parts;
}

// Content that never crosses a blank line.
const NO_BLANK = String.raw`(?:(?!\n[ \t]*\n)[\s\S])+?`;
const PAREN_MATH = new RegExp(String.raw`(?<!\\)\\\((${NO_BLANK})(?<!\\)\\\)`, 'g');
const BRACKET_MATH = new RegExp(String.raw`(?<!\\)\\\[(${NO_BLANK})(?<!\\)\\\]`, 'g');

function normalizeProse(text: string): string {
  const latexStyle = text
    // Display math is a block: mid-line, it gets lines of its own.
    .replace(BRACKET_MATH, (match: string, tex: string, at: number, whole: string) => {
      const before = lineStartsAt(whole, at) ? '' : '\n';
      const after = lineEndsAt(whole, at + match.length) ? '' : '\n';
      return `${before}$$${tex.trim()}$$${after}`;
    })
    .replace(PAREN_MATH, (_m, tex: string) => `$${tex.trim()}$`);
  return escapeStrayDollars(latexStyle);
}

/** Only spaces (at most three, as Markdown allows before a block) between the last line break and `at`. */
const lineStartsAt = (text: string, at: number): boolean => /(^|\n)[ \t]{0,3}$/.test(text.slice(0, at));
const lineEndsAt = (text: string, at: number): boolean => /^[ \t]*(\n|$)/.test(text.slice(at));

const isSpace = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const blankLineAt = (text: string, i: number): boolean => text[i] === '\n' && /^[ \t]*\n/.test(text.slice(i + 1));

/** Keeps `$` pairs that are math by Pandoc's rule and `$$` pairs; escapes every other dollar. */
function escapeStrayDollars(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      const close = findDoubleClose(text, i + 2);
      if (close === -1) {
        out += '\\$\\$';
        i += 2;
      } else {
        out += displayMath(text, i, close, lineStartsAt(out, out.length));
        i = close + 2;
      }
      continue;
    }
    const close = isSpace(text[i + 1]) ? -1 : findSingleClose(text, i + 1);
    if (close === -1) {
      out += '\\$';
      i++;
    } else {
      out += text.slice(i, close + 1);
      i = close + 1;
    }
  }
  return out;
}

/**
 * A `$$` pair as remark-math should read it. Alone on its line(s) it is a display block, whose `$$` must stand on
 * lines of their own: remark-math reads `$$x$$` as inline math, and text after an opening `$$` as a label it drops.
 */
function displayMath(text: string, open: number, close: number, atLineStart: boolean): string {
  const pair = text.slice(open, close + 2);
  if (!atLineStart || !lineEndsAt(text, close + 2)) return pair;
  const indent = /[ \t]*$/.exec(text.slice(0, open))?.[0] ?? '';
  return `$$\n${indent}${text.slice(open + 2, close).trim()}\n${indent}$$`;
}

/** The closing `$` of an inline pair opened before `from`, or -1: the first unescaped `$` decides. */
function findSingleClose(text: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    const c = text[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (blankLineAt(text, k)) return -1;
    if (c !== '$') continue;
    if (text[k + 1] === '$' || isSpace(text[k - 1]) || isDigit(text[k + 1])) return -1;
    return k;
  }
  return -1;
}

/** The closing `$$` of a pair opened before `from`, or -1 when it has not arrived (or a blank line comes first). */
function findDoubleClose(text: string, from: number): number {
  for (let k = from; k < text.length - 1; k++) {
    if (text[k] === '\\') {
      k++;
      continue;
    }
    if (blankLineAt(text, k)) return -1;
    if (text[k] === '$' && text[k + 1] === '$') return k;
  }
  return -1;
}

/**
 * A gold answer as MATH stores it is LaTeX without delimiters (`\frac{1}{8}`, `27\sqrt{3}`): shown as Markdown it
 * would read as source. Text with a LaTeX command, `^`, `_` or braces and no delimiters of its own is wrapped in
 * `$…$`; anything else (a number, a word, an option letter) is returned as it is.
 */
export function bareLatexAsMath(text: string): string {
  const tex = text.trim();
  if (tex === '' || /\$|\\[([]/.test(tex) || !/\\[a-zA-Z]+|[\^_{}]/.test(tex)) return text;
  return `$${tex}$`;
}
