/** Who asked for a deletion: the participant themself, the retention purge, or a researcher (by id). */
export type DeletionRequester = 'participant' | 'retention' | { researcherId: string };

/** What a deletion removed, for logs, the console and the CLI. */
export interface ParticipantDeletion {
  studyId: string;
  /** Live episodes the participant played, and the simulated twins derived from them. */
  episodes: number;
  twins: number;
  /** Ratings given by the participant, and ratings by others of the answers of their episodes. */
  ratings: number;
  /** Token hashes of the participant's sessions (deleted), so the caller can disconnect their sockets. */
  sessionTokenHashes: string[];
}

/** The minimal record kept of a deletion (migration 016): no participant id, no Prolific id, only its keyed hash. */
export interface DeletionRecord {
  studyId: string;
  prolificPidHmac: string | null;
  role: 'actor' | 'rater';
  deletedAt: string;
  deletedBy: string;
}

/**
 * Deleting participants' data (withdrawal, researcher deletion, retention purge). Part of `Storage`
 * (`storage.deletions`); every implementation must pass tests/contract/participant-deletion-storage.contract.ts, and
 * tests/integration/participant-deletion.test.ts checks, on a real SQLite file, that no row anywhere still carries a
 * deleted participant's ids or text.
 */
export interface ParticipantDeletionStorage {
  /**
   * Deletes, in one transaction, the participant and everything that names them or holds their text: their live
   * episodes with events and client message ids, the twins of those episodes and the twins' jobs, rating candidates
   * made from those episodes with every rating, "can't judge", flag and lease on them, the ratings, skips, flags and
   * leases the participant gave, their play leases (a completed one frees its unit's slot for someone else), their
   * outcome, consent records and sessions, and the participants row. Keeps one `participant_deletions` row.
   * `not_found` if there is no such participant. `pidKey` keys the hash of the Prolific id.
   */
  deleteParticipant(
    participantId: string,
    input: { by: DeletionRequester; pidKey: string; now?: Date },
  ): Promise<ParticipantDeletion>;
  /** The participant of a study with this Prolific id, or null. */
  findParticipantIdByProlificPid(studyId: string, prolificPid: string): Promise<string | null>;
  /** Ids of the participants of a study (for the retention purge). */
  listParticipantIds(studyId: string): Promise<string[]>;
  listDeletions(studyId: string): Promise<DeletionRecord[]>;
  /**
   * Closed studies with when they closed: the last time their settings were stored while closed (closing is such a
   * store; settings saved after closing move it later, which only keeps data longer). For the retention purge.
   */
  listClosedStudies(): Promise<{ studyId: string; closedAt: string }[]>;
}
