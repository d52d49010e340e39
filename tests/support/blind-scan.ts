/**
 * Deep scan of everything a rater received, for the blinding test: every key and every string value (numbers too, as
 * text) is checked against forbidden words, ids and patterns. A hit names where it was found.
 */

export interface Forbidden {
  /** Matched as whole words, case-insensitive (so "person" does not match "persona"). */
  words: string[];
  /** Matched as substrings, case-sensitive: model names, episode and run ids. */
  exact: string[];
  patterns: RegExp[];
  /** Keys that must not appear at any depth. */
  keys: string[];
}

export interface Hit {
  path: string;
  what: string;
  text: string;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function scanText(text: string, path: string, f: Forbidden): Hit[] {
  const hits: Hit[] = [];
  for (const word of f.words) {
    // "_" counts as part of a word, so snake_case names are words of their own ("passive" vs "passive_nostop").
    if (new RegExp(`(^|[^A-Za-z0-9_])${escape(word)}($|[^A-Za-z0-9_])`, 'i').test(text))
      hits.push({ path, what: word, text });
  }
  for (const needle of f.exact) if (needle !== '' && text.includes(needle)) hits.push({ path, what: needle, text });
  for (const pattern of f.patterns) if (pattern.test(text)) hits.push({ path, what: String(pattern), text });
  return hits;
}

export function deepScan(value: unknown, f: Forbidden, path = '$'): Hit[] {
  if (typeof value === 'string') return scanText(value, path, f);
  if (typeof value === 'number' || typeof value === 'boolean') return scanText(String(value), path, f);
  if (Array.isArray(value)) return value.flatMap((v, i) => deepScan(v, f, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      const keyHits = [
        ...(f.keys.includes(key) ? [{ path, what: `key ${key}`, text: key }] : []),
        ...scanText(key, `${path}{key}`, f),
      ];
      return [...keyHits, ...deepScan(v, f, `${path}.${key}`)];
    });
  }
  return [];
}

/** Every route in Fastify's printRoutes() tree, with its methods. */
export function routesOf(tree: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  const out: { path: string; methods: string[] }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│\s]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = Math.round((match[1] ?? '').length / 4);
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack[depth] = path;
    if (match[3]) out.push({ path, methods: match[3].split(',').map((m) => m.trim()) });
  }
  return out;
}
