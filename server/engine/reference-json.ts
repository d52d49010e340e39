/**
 * The reference's own JSON reader (`methods/utils.py::extract_json`), restated for `--reference-quirks` runs, where a
 * judge or simulator reply must be read exactly as the reference reads it: what it cannot read skips the episode, and
 * what it reads differently (a quoted "4" is the number 4) changes scores. Our default reader (`lenient-json.ts`)
 * accepts more (Python's None, bare keys, \u escapes) and never turns strings into numbers.
 *
 * Its rules, in our words:
 * - the text from the first `{` to the last `}`; no `{` at all is an error;
 * - values: objects, arrays, strings in single, double or triple quotes, `true`/`false`/`null` in any letter case,
 *   and numbers (a run of `-+0123456789.eE`, read as a float when it holds `.`, `e` or `E`, else as an integer);
 * - keys must be quoted; a trailing comma before `}` or `]` is accepted;
 * - escapes: `\n`, `\t`, `\r`, `\\` and the string's own quote; any other escaped character stands for itself;
 * - every string, once read, is converted: "true"/"false"/"null" (any case) to those values, a string holding `.` or
 *   `e` that Python's float() reads to that number, any other string Python's int() reads to that integer.
 */
export type ReferenceJsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export function referenceExtractJson(text: string): ReferenceJsonResult {
  const start = text.indexOf('{');
  if (start === -1) return { ok: false, error: 'no "{" in the reply (the reference skips the episode)' };
  // With no "}" after the "{", the reference's slice is empty and its parser fails on it.
  const end = text.lastIndexOf('}');
  const candidate = end < start ? '' : text.slice(start, end + 1).trim();
  try {
    const reader = new Reader(candidate);
    const value = reader.value();
    reader.skipSpace();
    if (reader.pos !== candidate.length) throw new Error(`unexpected content at position ${reader.pos}`);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: `the reference cannot read the reply: ${(error as Error).message}` };
  }
}

const INT = /^[+-]?\d+(?:_\d+)*$/;
const FLOAT = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.\d+(?:_\d+)*|\d+(?:_\d+)*\.?)(?:[eE][+-]?\d+(?:_\d+)*)?$/;

/** Python's int(s) for a string, or null when it raises. */
export function pythonInt(s: string): number | null {
  const t = s.trim();
  return INT.test(t) ? Number(t.replace(/_/g, '')) : null;
}

/** Python's float(s) for a string, or null when it raises. */
export function pythonFloat(s: string): number | null {
  const t = s.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return Number.NaN;
  return FLOAT.test(t) ? Number(t.replace(/_/g, '')) : null;
}

/** The reference's `convert_value`, applied to every string it reads. */
export function referenceConvert(value: string): unknown {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (value.includes('.') || lower.includes('e')) return pythonFloat(value) ?? value;
  return pythonInt(value) ?? value;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };

class Reader {
  pos = 0;
  constructor(private readonly s: string) {}

  skipSpace(): void {
    while (this.pos < this.s.length && ' \t\n\r'.includes(this.s[this.pos] as string)) this.pos += 1;
  }

  value(): unknown {
    this.skipSpace();
    const s = this.s;
    if (this.pos >= s.length) throw new Error('unexpected end of input');
    const ch = s[this.pos] as string;
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    const three = s.slice(this.pos, this.pos + 3);
    if (three === "'''" || three === '"""') return this.tripleString(three);
    if (ch === '"' || ch === "'") return this.string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (s.slice(this.pos, this.pos + word.length).toLowerCase() === word) {
        this.pos += word.length;
        return v;
      }
    }
    if ('-+0123456789.'.includes(ch)) return this.number();
    throw new Error(`unexpected character at position ${this.pos}: ${ch}`);
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos += 1;
    this.skipSpace();
    while (this.pos < this.s.length && this.s[this.pos] !== '}') {
      this.skipSpace();
      const quote = this.s[this.pos];
      if (quote !== '"' && quote !== "'") throw new Error(`expected a quoted key at position ${this.pos}`);
      const key = this.string();
      this.skipSpace();
      if (this.s[this.pos] !== ':') throw new Error(`expected ":" at position ${this.pos}`);
      this.pos += 1;
      out[String(key)] = this.value();
      this.skipSpace();
      if (this.s[this.pos] === ',') {
        this.pos += 1;
        this.skipSpace();
      } else if (this.pos < this.s.length && this.s[this.pos] !== '}') {
        throw new Error(`expected "," or "}" at position ${this.pos}`);
      }
    }
    if (this.s[this.pos] !== '}') throw new Error(`expected "}" at position ${this.pos}`);
    this.pos += 1;
    return out;
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.pos += 1;
    this.skipSpace();
    while (this.pos < this.s.length && this.s[this.pos] !== ']') {
      out.push(this.value());
      this.skipSpace();
      if (this.s[this.pos] === ',') {
        this.pos += 1;
        this.skipSpace();
      } else if (this.pos < this.s.length && this.s[this.pos] !== ']') {
        throw new Error(`expected "," or "]" at position ${this.pos}`);
      }
    }
    if (this.s[this.pos] !== ']') throw new Error(`expected "]" at position ${this.pos}`);
    this.pos += 1;
    return out;
  }

  private string(): unknown {
    const quote = this.s[this.pos] as string;
    this.pos += 1;
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos] as string;
      if (c === '\\') {
        this.pos += 1;
        if (this.pos >= this.s.length) throw new Error('invalid escape sequence');
        const next = this.s[this.pos] as string;
        out += next === quote ? quote : (ESCAPES[next] ?? next);
      } else if (c === quote) {
        this.pos += 1;
        return referenceConvert(out);
      } else {
        out += c;
      }
      this.pos += 1;
    }
    throw new Error('unterminated string');
  }

  private tripleString(quotes: string): unknown {
    this.pos += 3;
    const close = this.s.indexOf(quotes, this.pos);
    if (close === -1) throw new Error('unterminated triple-quoted string');
    const out = this.s.slice(this.pos, close);
    this.pos = close + 3;
    return referenceConvert(out);
  }

  private number(): number {
    const start = this.pos;
    while (this.pos < this.s.length && '-+0123456789.eE'.includes(this.s[this.pos] as string)) this.pos += 1;
    const text = this.s.slice(start, this.pos);
    const n = text.includes('.') || text.toLowerCase().includes('e') ? pythonFloat(text) : pythonInt(text);
    // Python's float()/int() also accept underscores, which the run above never contains.
    if (n === null) throw new Error(`invalid number at position ${start}: ${text}`);
    return n;
  }
}
