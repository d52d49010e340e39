/**
 * A per-rater shuffle that needs no stored state: FNV-1a of (rater, item) over UTF-16 code units, then MurmurHash3's
 * 32-bit finaliser. Each rater sees ties in their own order, so concurrent raters spread over different answers and
 * nobody's queue follows source order. FNV-1a alone mixes its last characters into only some bits: two raters got the
 * same order of 10 items about once in 800 pairs (1 in 10! expected); with the finaliser, none in 200,000.
 * SQLite calls it as the SQL function `rater_order` (values arrive untyped, hence `unknown`); PostgreSQL picks in
 * JavaScript. One copy keeps a rater's tie order the same on both engines.
 */
export function raterOrder(participantId: unknown, itemId: unknown): number {
  let hash = 0x811c9dc5;
  const text = `${String(participantId)}\u0000${String(itemId)}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
