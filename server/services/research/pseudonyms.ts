import { createHmac, randomBytes } from 'node:crypto';
import type { Storage } from '../../storage/storage.ts';

/**
 * Study-specific keyed pseudonyms for the ids that name a person in analysis exports (docs/data-protection.md,
 * "Pseudonymized exports"). Each is HMAC-SHA256 under a secret of the study's own, kept with the app's other secrets
 * in the database: the same id always gets the same pseudonym in a study (two exports join), the same Prolific id gets
 * different pseudonyms in two studies (files of two studies cannot be linked), and without the key a pseudonym cannot
 * be turned back into the id, nor checked against a guessed one.
 */

/** What a pseudonym stands for; the kind is part of the HMAC input and shows in the prefix, so kinds never collide. */
export const PSEUDONYM_PREFIXES = {
  participant: 'p_',
  prolificPid: 'pid_',
  prolificStudy: 'sid_',
  prolificSession: 'ses_',
} as const;

export type PseudonymKind = keyof typeof PSEUDONYM_PREFIXES;

/** 16 hex characters (64 bits): no collisions among a study's participants in practice, and short enough to read. */
const DIGEST_CHARS = 16;

/** The name of a study's pseudonym key among the app secrets. */
export function pseudonymKeyName(studyId: string): string {
  return `pseudonym:${studyId}`;
}

/** The pseudonym of `value` under `key`: the kind's prefix and the first 16 hex characters of the HMAC. */
export function pseudonym(key: string, kind: PseudonymKind, value: string): string {
  const digest = createHmac('sha256', key).update(`${kind}\u0000${value}`).digest('hex');
  return `${PSEUDONYM_PREFIXES[kind]}${digest.slice(0, DIGEST_CHARS)}`;
}

/** The pseudonyms of one study: its key is read (made on first use) once, then every id is mapped without storage. */
export class StudyPseudonyms {
  private constructor(private readonly key: string) {}

  static async of(storage: Storage, studyId: string): Promise<StudyPseudonyms> {
    const key = await storage.people.getOrCreateAppSecret(
      pseudonymKeyName(studyId),
      randomBytes(32).toString('base64url'),
    );
    return new StudyPseudonyms(key);
  }

  /** The pseudonym of an id, null for none (a batch episode has no participant; an anonymous one no Prolific id). */
  name(kind: PseudonymKind, value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : pseudonym(this.key, kind, value);
  }
}
