/**
 * A per-rater shuffle that needs no stored state: FNV-1a of (rater, item) over UTF-16 code units. Each rater sees ties
 * in their own order, so concurrent raters spread over different answers and nobody's queue follows source order.
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
  return hash;
}
