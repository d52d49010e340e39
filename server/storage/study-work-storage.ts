import type { Rng } from '../../shared/stats/random.ts';
import type { AssignmentProgress, LiveStudySettings, TranscriptTurn } from '../../shared/schemas/live-study.ts';

export type LeaseStatus = 'leased' | 'completed' | 'expired' | 'released';

/** A (record, model) a person is asked to play. */
export interface PlayUnitRef {
  problemId: string;
  model: string;
}

export interface PlayLease extends PlayUnitRef {
  /** The assignment id: episodes started from this lease refer to it. */
  id: string;
  studyId: string;
  participantId: string;
  status: LeaseStatus;
  episodeId: string | null;
  leasedAt: string;
  expiresAt: string;
}

/** Why a claim handed out nothing. */
export type NoWorkReason = 'study_not_open' | 'quota_reached' | 'no_work';

export type Claim<T> =
  | {
      kind: 'leased';
      lease: T;
      /** true when the participant already held this lease (a repeated request). */ resumed: boolean;
    }
  | { kind: 'none'; reason: NoWorkReason };

export interface GoldExpectation {
  expectedScores: Record<string, number>;
  tolerance: number;
}

export interface NewRatingCandidate {
  problemId: string;
  /** null for hand-made gold items. */
  sourceEpisodeId: string | null;
  /** The actor who played the source episode; they are never offered this answer. */
  sourceParticipantId: string | null;
  answer: string;
  /** The dialogue before the final answer, as stored (blinding happens when an item is built for a rater). */
  transcript: TranscriptTurn[] | null;
  gold: GoldExpectation | null;
}

export interface RatingLease {
  id: string;
  studyId: string;
  participantId: string;
  /** The random id raters see. */
  itemId: string;
  problemId: string;
  answer: string;
  transcript: TranscriptTurn[] | null;
  gold: GoldExpectation | null;
  status: LeaseStatus;
  leasedAt: string;
  expiresAt: string;
}

export interface NewRating {
  studyId: string;
  participantId: string;
  itemId: string;
  scores: Record<string, number>;
  correct: 0 | 1;
  justification: string;
  secondsSpent: number;
  /** For gold items: whether the scores passed the attention check; null otherwise. */
  attentionPassed: boolean | null;
  now: Date;
}

export type SubmitOutcome =
  | { kind: 'stored'; rated: number }
  | { kind: 'already_rated' }
  /** No lease on this item for this rater, or it lapsed and the item has since gone to k other raters. */
  | { kind: 'not_leased' };

export interface StoredRating {
  itemId: string;
  problemId: string;
  sourceEpisodeId: string | null;
  isGold: boolean;
  participantId: string;
  scores: Record<string, number>;
  correct: 0 | 1;
  justification: string;
  secondsSpent: number;
  attentionPassed: boolean | null;
  createdAt: string;
}

/**
 * Live-study settings and the work queues built on them: play units with their leases (assignments), rating
 * candidates with theirs, and ratings. Part of `Storage` (`storage.work`); every implementation must pass
 * tests/contract/study-work-storage.contract.ts.
 *
 * Claims (`leaseNext*`) are single transactions: concurrent claims, from this process or another on the same
 * database, never hand a play unit out beyond its quota nor an answer to more than k distinct raters. Each claim first
 * expires the study's lapsed leases, which returns their slots to the queue.
 */
export interface StudyWorkStorage {
  getSettings(studyId: string): Promise<LiveStudySettings | null>;
  /**
   * Stores a study's settings (status included). With `units`, the study's active play units become exactly these,
   * each with quota `settings.playsPerRecord`, ordered as given; units left out are deactivated, keeping their leases.
   * `not_found` if the study does not exist.
   */
  saveSettings(studyId: string, settings: LiveStudySettings, now: Date, units?: PlayUnitRef[]): Promise<void>;
  /** The study's problem ids in import order. */
  listProblemIds(studyId: string): Promise<string[]>;

  /**
   * The participant's lease in hand (also while the study is paused), or, in an open study, a new lease on the
   * least-played active unit whose record they have never been given.
   */
  leaseNextPlay(studyId: string, participantId: string, now: Date): Promise<Claim<PlayLease>>;
  getPlayLease(leaseId: string): Promise<PlayLease | null>;
  /** Links the episode started from a lease to it. */
  attachPlayEpisode(leaseId: string, episodeId: string): Promise<void>;
  /** Moves an active lease's expiry to now + the study's lease minutes (a live session still in progress). */
  renewPlayLease(leaseId: string, now: Date): Promise<PlayLease | null>;
  /**
   * Ends a lease as completed or released. An expired lease may still complete (the session did finish): that unit
   * can then exceed its quota by late finishers, never by claims. Returns null for an unknown lease.
   */
  endPlayLease(leaseId: string, status: 'completed' | 'released', now: Date): Promise<PlayLease | null>;

  /** Adds answers to rate; an episode already added to the study is left as it is. */
  addRatingCandidates(
    studyId: string,
    candidates: NewRatingCandidate[],
    now: Date,
  ): Promise<{ added: number; unchanged: number }>;
  /**
   * The rater's lease in hand (also while the study is paused), or, in an open study, a new one: with probability goldRate (drawn from `rng`) a gold item they have not
   * rated, else the least-covered answer (fewest ratings + active leases) that has fewer than k raters, is not from an
   * episode they played, and that they have not rated; ties in a per-rater shuffled order. Falls back to the other
   * kind when one is empty (gold only when goldRate > 0).
   */
  leaseNextRating(studyId: string, participantId: string, now: Date, rng: Rng): Promise<Claim<RatingLease>>;
  /** The rater's lease (any status) on an item, the newest if several. */
  findRatingLease(studyId: string, participantId: string, itemId: string): Promise<RatingLease | null>;
  /** Stores a rating against the rater's lease on the item, atomically with completing the lease. */
  submitRating(rating: NewRating): Promise<SubmitOutcome>;
  listRatings(studyId: string): Promise<StoredRating[]>;
  /** Ratings the participant has stored in the study (gold included), for quotas and progress. */
  countRatings(studyId: string, participantId: string): Promise<number>;
  /** The participant's attention checks in the study: gold items rated, and how many of those passed. */
  attentionTally(studyId: string, participantId: string): Promise<{ checked: number; passed: number }>;

  /** Per unit, candidate and rater counts; leases past expiry count as inactive. */
  progress(studyId: string, now: Date): Promise<Omit<AssignmentProgress, 'status' | 'raterOverlap'>>;
}
