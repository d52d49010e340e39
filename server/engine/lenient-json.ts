/**
 * Lenient JSON extraction, as the reference's `extract_json` does it: take the text from the first `{` to the last
 * `}` and parse it, accepting what LLMs commonly write instead of JSON — single-quoted or triple-quoted strings,
 * Python's True/False/None, trailing commas and code fences around the object.
 */
import { describeError } from '../../shared/errors.ts';

export type LenientResult = { ok: true; value: unknown } | { ok: false; error: string };

export function extractJson(text: string): LenientResult {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end < start) return { ok: false, error: 'no JSON object in the reply' };
  const candidate = text.slice(start, end + 1);
  try {
    return { ok: true, value: JSON.parse(candidate) };
  } catch {
    // fall through to the tolerant parser
  }
  try {
    const parser = new TolerantParser(candidate);
    const value = parser.parseValue();
    parser.skipSpace();
    if (!parser.done()) throw new Error(`unexpected text at position ${parser.position}`);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: `unparseable JSON: ${describeError(error)}` };
  }
}

const LITERALS: Record<string, unknown> = {
  true: true,
  false: false,
  null: null,
  True: true,
  False: false,
  None: null,
};
const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '/': '/',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

class TolerantParser {
  position = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.position >= this.s.length;
  }

  skipSpace(): void {
    while (!this.done() && /\s/.test(this.s[this.position] ?? '')) this.position += 1;
  }

  parseValue(): unknown {
    this.skipSpace();
    const ch = this.s[this.position];
    if (ch === '{') return this.parseObject();
    if (ch === '[') return this.parseArray();
    if (ch === '"' || ch === "'") return this.parseString();
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.position));
    if (number) {
      this.position += number[0].length;
      return Number(number[0]);
    }
    const word = /^[A-Za-z]+/.exec(this.s.slice(this.position));
    if (word && word[0] in LITERALS) {
      this.position += word[0].length;
      return LITERALS[word[0]];
    }
    throw new Error(`unexpected ${ch === undefined ? 'end of text' : `"${ch}"`} at position ${this.position}`);
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.s[this.position] !== ch) throw new Error(`expected "${ch}" at position ${this.position}`);
    this.position += 1;
  }

  private parseObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.expect('{');
    for (;;) {
      this.skipSpace();
      if (this.s[this.position] === '}') {
        this.position += 1;
        return out;
      }
      const key =
        this.s[this.position] === '"' || this.s[this.position] === "'" ? this.parseString() : this.parseBareKey();
      this.expect(':');
      out[key] = this.parseValue();
      this.skipSpace();
      if (this.s[this.position] === ',') this.position += 1;
      else if (this.s[this.position] !== '}') throw new Error(`expected "," or "}" at position ${this.position}`);
    }
  }

  private parseBareKey(): string {
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.position));
    if (!word) throw new Error(`expected a key at position ${this.position}`);
    this.position += word[0].length;
    return word[0];
  }

  private parseArray(): unknown[] {
    const out: unknown[] = [];
    this.expect('[');
    for (;;) {
      this.skipSpace();
      if (this.s[this.position] === ']') {
        this.position += 1;
        return out;
      }
      out.push(this.parseValue());
      this.skipSpace();
      if (this.s[this.position] === ',') this.position += 1;
      else if (this.s[this.position] !== ']') throw new Error(`expected "," or "]" at position ${this.position}`);
    }
  }

  private parseString(): string {
    const quote = this.s[this.position] as string;
    const triple = this.s.startsWith(quote.repeat(3), this.position);
    const closing = triple ? quote.repeat(3) : quote;
    this.position += closing.length;
    let out = '';
    while (!this.done()) {
      if (this.s.startsWith(closing, this.position)) {
        this.position += closing.length;
        return out;
      }
      const ch = this.s[this.position] as string;
      if (ch === '\\') {
        const next = this.s[this.position + 1] ?? '';
        if (next === 'u') {
          out += String.fromCharCode(parseInt(this.s.slice(this.position + 2, this.position + 6), 16));
          this.position += 6;
        } else {
          out += SIMPLE_ESCAPES[next] ?? next;
          this.position += 2;
        }
        continue;
      }
      out += ch;
      this.position += 1;
    }
    throw new Error('unterminated string');
  }
}
