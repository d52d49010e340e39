/**
 * Python's `repr()` of JSON-like values. The reference puts `str(persona_preferences)` — a Python dict repr, with
 * single-quoted keys — into the persona profile that both the oracle and the simulated user read, so we reproduce it.
 *
 * Known gap: JSON does not keep the difference between 5 and 5.0, so a float that Python would print as `5.0` prints
 * here as `5`.
 */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${pythonString(k)}: ${pythonRepr(v)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  return pythonString(String(value));
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

function pythonString(s: string): string {
  // Python prefers single quotes and switches to double quotes only when that avoids escaping.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (ch === quote) out += `\\${quote}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}
