import type { ParticipantRole } from '../../shared/schemas/identity.ts';

export type ConsentDecision = 'agreed' | 'refused';

/** One consent text a study showed to a role in a language, identified by the SHA-256 of the exact text. */
export interface ConsentVersion {
  id: string;
  studyId: string;
  role: ParticipantRole;
  language: string;
  sha256: string;
  text: string;
  /** When a participant first decided on this text. */
  firstSeenAt: string;
}

/** A participant's decision, with the version of the text they were shown. */
export interface ConsentRecord {
  participantId: string;
  studyId: string;
  decision: ConsentDecision;
  decidedAt: string;
  version: ConsentVersion;
}

export interface NewConsentDecision {
  participantId: string;
  studyId: string;
  role: ParticipantRole;
  language: string;
  /** The exact text shown; `sha256` must be its SHA-256 (hex), computed by the caller. */
  text: string;
  sha256: string;
  decision: ConsentDecision;
  now: Date;
}

/**
 * Consent versions and each participant's decision (issue 18). Part of `Storage` (`storage.consent`); every
 * implementation must pass tests/contract/consent-storage.contract.ts. Each method is atomic.
 */
export interface ConsentStorage {
  /**
   * Stores the participant's decision on the text they were shown, adding the text as a new version of the study's
   * consent when it was not seen before. A participant decides once: the same decision again returns the stored record
   * unchanged; the other decision is a `conflict`. A refusal also blanks the participant's Prolific ids in the same
   * transaction, so nothing but the refusal (time and version) is kept of them. `not_found` if no such participant.
   */
  recordDecision(input: NewConsentDecision): Promise<ConsentRecord>;
  /** The participant's decision, or null while they have not decided. */
  getDecision(participantId: string): Promise<ConsentRecord | null>;
  /** The decisions of the given participants (those who decided), by participant id; one read for any number. */
  decisionsOf(participantIds: readonly string[]): Promise<Map<string, ConsentRecord>>;
  /** Every consent text the study has shown, oldest first. */
  listVersions(studyId: string): Promise<ConsentVersion[]>;
}
