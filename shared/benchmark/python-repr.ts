/**
 * Python's `repr()` of JSON-like values. The reference puts `str(persona_preferences)` — a Python dict repr, with
 * single-quoted keys — into the persona profile that both the oracle and the simulated user read, so we reproduce it.
 *
 * JSON.parse does not keep the difference between 5 and 5.0 (Python's json keeps it: `5.0` is a float). A caller that
 * knows where the source text had such floats passes their JSON paths (`$["a"][0]`, as `integralFloatPaths` in
 * json-float-paths.ts finds them) and they print as Python prints them, `5.0`; without that they print as `5`.
 */
export function pythonRepr(value: unknown, integralFloats?: ReadonlySet<string>, path = '$'): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (integralFloats?.has(path) && Number.isInteger(value) && Math.abs(value) < 1e16)
      return `${Object.is(value, -0) ? '-0' : value}.0`;
    return pythonNumber(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value))
    return `[${value.map((v, i) => pythonRepr(v, integralFloats, childPath(path, i))).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${pythonString(k)}: ${pythonRepr(v, integralFloats, childPath(path, k))}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return pythonString(String(value));
}

/** The JSON path of a member or element: `$["key"]`, `$[0]`. */
export function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Python's `str()`: a string is itself, anything else its `repr()`. The reference applies it wherever it formats a
 * value into text (f-strings, `str(response)`), so a number, list or dict from a JSON file reads as Python prints it.
 */
export function pythonStr(value: unknown, integralFloats?: ReadonlySet<string>, path = '$'): string {
  return typeof value === 'string' ? value : pythonRepr(value, integralFloats, path);
}

function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Python switches to exponent notation below 1e-4 and from 1e16, and writes the exponent with two digits.
  const abs = Math.abs(n);
  if (abs >= 1e-4 && abs < 1e16) return String(n);
  return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * What Python's `str.isprintable()` rejects and `repr()` therefore escapes: the Other (Cc, Cf, Cs, Co, Cn) and
 * Separator (Zl, Zp, Zs) categories, except the ASCII space. Every other character, accents and scripts included, is
 * kept as it is.
 */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function escapeCode(code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

function pythonString(s: string): string {
  // Python prefers single quotes and switches to double quotes only when that avoids escaping.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (ch === quote) out += `\\${quote}`;
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) out += escapeCode(code);
    else out += ch;
  }
  return out + quote;
}

/**
 * Python's `json.dumps(value, indent=2)`: JSON.stringify's layout with `ensure_ascii`, so every character past ASCII
 * is written as a `\uXXXX` escape (a surrogate pair as two). The reference shows the rubric levels to its judge this
 * way. Known gap: a whole number the source wrote as a float prints without `.0`.
 */
export function pythonJsonDumps(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(
    /[\u0080-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
