/**
 * What a rating item looks like apart from its content, for the blinding test: if two kinds of answer (gold and real,
 * two conditions, a person and the simulator) differ in shape, a rater can tell them apart without reading a word.
 */

/**
 * The shape of a JSON value: objects as their keys (sorted) with each value's shape, so a missing optional field shows;
 * arrays as the set of their elements' shapes (lengths are compared separately); anything else as its type.
 */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return { array: [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))].sort() };
  if (value === null) return 'null';
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]),
    );
  return typeof value;
}

/**
 * Pairs of classes whose lengths never coincide ("a|b"): for such a pair the length alone says which class an item
 * belongs to. Each class's lengths are compared as a set, so only overlap matters, not how often each length occurs.
 */
export function separatedByLength(rows: readonly { cls: string; length: number }[]): string[] {
  const byClass = new Map<string, Set<number>>();
  for (const { cls, length } of rows) byClass.set(cls, (byClass.get(cls) ?? new Set()).add(length));
  const classes = [...byClass.keys()].sort();
  const separated: string[] = [];
  for (const [i, a] of classes.entries())
    for (const b of classes.slice(i + 1)) {
      const other = byClass.get(b) ?? new Set();
      if (![...(byClass.get(a) ?? [])].some((n) => other.has(n))) separated.push(`${a}|${b}`);
    }
  return separated;
}
