import { childPath } from './python-repr.ts';

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
/** The characters that open or close a container, or open a string: all a skipped value's end depends on. */
const STRUCTURE = /["{}[\]]/g;
const ZEROS = /^\.0+$/;

export interface FloatPathOptions {
  /**
   * The caller has just parsed the text with JSON.parse, so it is valid JSON: the scan does not parse it again.
   * Text that is not JSON then gives no useful answer (a SyntaxError or wrong paths), so only say so when it is.
   */
  parsed?: boolean;
  /**
   * Only the members of the root object with these keys are read; the other members are stepped over (strings by
   * searching for their closing quote) without working out paths, which makes the scan of a large record line cheap.
   */
  onlyKeys?: ReadonlySet<string>;
}

/**
 * The JSON paths (`$["a"][0]`) of the whole numbers that a JSON text writes as floats: `4.0`, `1e2`. Python's json
 * reads those as floats and prints them `4.0`, `100.0`, where JSON.parse keeps only the number 4; pythonRepr takes
 * this set to print them as the reference would. Throws SyntaxError, as JSON.parse does, on text that is not JSON
 * (unless `parsed` says it is).
 *
 * A float counts when its fraction is only zeros or it has an exponent, the forms Python's json writes (it writes the
 * shortest text that reads back the same float). A number written with more decimals than a double keeps
 * (`4.0000000000000000001`) is not counted: no writer of benchmark files produces it.
 */
export function integralFloatPaths(text: string, options: FloatPathOptions = {}): Set<string> {
  if (options.parsed !== true) JSON.parse(text);
  const only = options.onlyKeys;
  const found = new Set<string>();
  let at = 0;
  // The keys and indexes from the root to the value being read; a path string is built only for a float found.
  const trail: (string | number)[] = [];

  const fail = (): never => {
    throw new SyntaxError(`not JSON at position ${at}`);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(at);
      // space, tab, line feed, carriage return
      if (c === 32 || c === 9 || c === 10 || c === 13) at += 1;
      else return;
    }
  };
  /** The index after the string that opens at `start`: the next quote not escaped by an odd run of backslashes. */
  const stringEnd = (start: number): number => {
    let quote = text.indexOf('"', start + 1);
    for (;;) {
      if (quote < 0) return fail();
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes += 1;
      if (backslashes % 2 === 0) return quote + 1;
      quote = text.indexOf('"', quote + 1);
    }
  };
  const readKey = (): string => {
    const start = at;
    at = stringEnd(start);
    const raw = text.slice(start, at);
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };
  const readToken = (pattern: RegExp): RegExpExecArray => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match === null) return fail();
    at = pattern.lastIndex;
    return match;
  };
  /** Steps over one value without reading paths: strings by their closing quote, containers by their depth. */
  const skipValue = (): void => {
    const c = text.charAt(at);
    if (c === '"') {
      at = stringEnd(at);
      return;
    }
    if (c !== '{' && c !== '[') {
      readToken(c === '-' || (c >= '0' && c <= '9') ? NUMBER : LITERAL);
      return;
    }
    let depth = 0;
    STRUCTURE.lastIndex = at;
    for (;;) {
      const match = STRUCTURE.exec(text);
      if (match === null) return fail();
      const s = match[0];
      if (s === '"') {
        STRUCTURE.lastIndex = stringEnd(match.index);
      } else if (s === '{' || s === '[') {
        depth += 1;
      } else {
        depth -= 1;
        if (depth === 0) {
          at = match.index + 1;
          return;
        }
      }
    }
  };

  const readValue = (): void => {
    skipSpace();
    if (at >= text.length) fail();
    const c = text.charAt(at);
    if (c === '{') {
      at += 1;
      skipSpace();
      if (text.charAt(at) === '}') {
        at += 1;
        return;
      }
      for (;;) {
        skipSpace();
        const key = readKey();
        skipSpace();
        at += 1; // the colon
        if (only !== undefined && trail.length === 0 && !only.has(key)) {
          skipSpace();
          skipValue();
        } else {
          trail.push(key);
          readValue();
          trail.pop();
        }
        skipSpace();
        at += 1; // a comma, or the closing brace
        if (text.charAt(at - 1) === '}') return;
        if (at >= text.length) fail();
      }
    }
    if (c === '[') {
      at += 1;
      skipSpace();
      if (text.charAt(at) === ']') {
        at += 1;
        return;
      }
      for (let index = 0; ; index += 1) {
        trail.push(index);
        readValue();
        trail.pop();
        skipSpace();
        at += 1; // a comma, or the closing bracket
        if (text.charAt(at - 1) === ']') return;
        if (at >= text.length) fail();
      }
    }
    if (c === '"') {
      at = stringEnd(at);
      return;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      const [token, fraction, exponent] = readToken(NUMBER);
      const floatForm = exponent !== undefined || (fraction !== undefined && ZEROS.test(fraction));
      if (floatForm && Number.isInteger(Number(token))) found.add(trail.reduce<string>(childPath, '$'));
      return;
    }
    readToken(LITERAL);
  };

  readValue();
  return found;
}
