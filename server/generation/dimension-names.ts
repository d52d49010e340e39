/**
 * Dimension names: the reference asks for short, direct names without "Preference for"-style openings. Models
 * still write them, so we strip such openings rather than reject an otherwise good proposal, and reject only what
 * cannot be repaired (empty, overlong, or a name repeated within one proposal).
 */

const WISH_PREFIXES =
  /^(?:(?:a|the)\s+)?(?:preference|desire|need|wish|want|liking|preferred|preferring)s?\s+(?:for|of|to)\s+/i;

export const MAX_NAME_LENGTH = 80;

/** "Preference for visual aids" → "Visual aids" (first letter upper-cased); other names are only trimmed. */
export function cleanDimensionName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  const stripped = trimmed.replace(WISH_PREFIXES, '');
  if (stripped === trimmed) return trimmed;
  return stripped.charAt(0).toUpperCase() + stripped.slice(1);
}

/** Whether a name still opens with a wish word after cleaning (then it is rejected, not silently kept). */
export function hasWishPrefix(name: string): boolean {
  return WISH_PREFIXES.test(name);
}

/** The key two names are compared by for an exact match: case, spacing and punctuation do not count. */
export function dimensionKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
