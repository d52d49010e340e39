import type { Preference } from '../../../shared/schemas/preference.ts';

const STOPWORDS = new Set(
  (
    'a an and are as at be but by can do does for from had has have how i if in into is it its me more my ' +
    'no not of on or our should so that the their them then there these they this to up us was we what when which who why ' +
    'will with would you your about any also just like than too very want much before help'
  ).split(' '),
);

/** Content words of a text, lower-cased, with a crude plural/-ing strip so "analogies" meets "analogy". */
export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return new Set(words.filter((w) => w.length > 2 && !STOPWORDS.has(w)).map((w) => w.replace(/(ies|es|s|ing)$/, '')));
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of a) if (b.has(w)) n += 1;
  return n;
}

/**
 * Preferences ranked by how many content words a text shares with each preference's name, description and range.
 * Ties keep the record's order, so the ranking is deterministic.
 */
export function rankPreferences(
  text: string,
  preferences: Record<string, Preference>,
): { name: string; score: number }[] {
  const words = contentWords(text);
  return Object.entries(preferences)
    .map(([name, p], index) => ({
      name,
      index,
      score: overlap(words, contentWords(`${name} ${p.description ?? ''} ${p.value_range ?? ''}`)),
    }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ name, score }) => ({ name, score }));
}

/** Stable 32-bit hash (FNV-1a) for deterministic choices. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
