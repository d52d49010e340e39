import { randomBytes } from 'node:crypto';
import { FORMULA_START } from '../../../shared/csv-formula.ts';

/**
 * `bytes` random bytes as base64url text that never starts with a formula character, as SQLite storage draws them
 * (sqlite/random-ids.ts): an id starting with "-" would be written to CSV with a "'" in front and no longer match.
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
