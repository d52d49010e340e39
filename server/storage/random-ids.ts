import { randomBytes } from 'node:crypto';
import { FORMULA_START } from '../../shared/csv-formula.ts';

// base64url's alphabet holds one formula character, "-": an id starting with it would be written to CSV with a "'" in
// front (the export's guard) and no longer match the same id in JSONL or in the database. Both engines draw their ids
// here, so an id's shape does not depend on the database.

/**
 * `bytes` random bytes as base64url text that never starts with a formula character. An id that would is drawn again
 * (1 in 64), rather than patched, so every allowed id stays equally likely; ids stored before this rule keep working,
 * since the alphabet and length are unchanged.
 */
export function randomSafeId(bytes: number): string {
  for (;;) {
    const id = randomBytes(bytes).toString('base64url');
    if (!FORMULA_START.test(id)) return id;
  }
}

/** A study invitation code: 128 random bits, URL-safe. */
export function newInviteCode(): string {
  return randomSafeId(16);
}

/** A rating item's opaque id: 96 random bits, nothing derived from the episode. */
export function newItemId(): string {
  return randomSafeId(12);
}
