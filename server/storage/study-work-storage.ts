import type { Rng } from '../../shared/stats/random.ts';
import type {
  CantJudgeReason,
  LiveStudySettings,
  RatingFlagKind,
  TranscriptTurn,
} from '../../shared/schemas/live-study.ts';
import type { AssignmentProgress, RatingFlag } from '../../shared/schemas/assignment-progress.ts';
import type { ParticipantOutcomeKind } from '../../shared/schemas/participant-outcome.ts';

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

/** Which queued answers a withdrawal means: the random item ids, or the source episodes (a run's answers). */
export type CandidateRef = { itemIds: readonly string[] } | { episodeIds: readonly string[] };

export interface WithdrawOutcome {
  /** Answers out of the queue now (nobody had rated them), those withdrawn before included. */
  withdrawn: number;
  /** Answers referenced that already have ratings: they stay, ratings and all. */
  kept: number;
  /** Item ids that are not in the study; when any, nothing was withdrawn. */
  missing: string[];
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

/** "Can't judge": a judgment without scores (see `skipRating`). */
export interface NewSkip {
  studyId: string;
  participantId: string;
  itemId: string;
  reason: CantJudgeReason;
  note: string;
  secondsSpent: number;
  now: Date;
}

/** A judgment's new values: scores (with the attention outcome for gold items) or can't judge. */
export type Verdict =
  | {
      kind: 'scores';
      scores: Record<string, number>;
      correct: 0 | 1;
      justification: string;
      attentionPassed: boolean | null;
    }
  | { kind: 'cant_judge'; reason: CantJudgeReason; note: string };

/** The rater's most recent judgment in a study: the item, whether it was gold, and whether it was scored. */
export interface LatestJudgment {
  itemId: string;
  problemId: string;
  gold: GoldExpectation | null;
  kind: 'scores' | 'cant_judge';
  /** How many judgments the rater had stored before this one. */
  before: number;
}

export interface Revision {
  studyId: string;
  participantId: string;
  itemId: string;
  verdict: Verdict;
  secondsSpent: number;
  now: Date;
}

export type ReviseOutcome =
  | { kind: 'revised'; rated: number }
  | { kind: 'not_latest' }
  /** Can't judge would become a rating of an answer that meanwhile has k ratings. */
  | { kind: 'answer_full' };

export interface NewFlag {
  studyId: string;
  participantId: string;
  itemId: string;
  kind: RatingFlagKind;
  note: string;
  now: Date;
}

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

/** How a participant's task ended (one per participant; see `recordOutcome`). */
export interface ParticipantOutcome {
  studyId: string;
  participantId: string;
  outcome: ParticipantOutcomeKind;
  /** The completion code shown when it ended; null when the study had none. */
  completionCode: string | null;
  endedAt: string;
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
  /**
   * The study's problem ids in import order. With `only`, just those of them that are the study's: a check of a few
   * records that does not list a large study's every record.
   */
  listProblemIds(studyId: string, only?: readonly string[]): Promise<string[]>;

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
  /** The episodes among these that already have an answer in the study's rating queue. */
  queuedEpisodes(studyId: string, episodeIds: readonly string[]): Promise<string[]>;
  /** How many of the study's answers still in the queue (gold items included) carry no dialogue. */
  countCandidatesWithoutTranscript(studyId: string): Promise<number>;
  /**
   * Marks referenced answers nobody has rated as withdrawn and releases the leases held on them, in one transaction;
   * rated ones stay in the queue. Withdrawn items are never handed out again, and adding their episode again changes
   * nothing. Unknown item ids withdraw nothing and come back in `missing`.
   */
  withdrawRatingCandidates(studyId: string, ref: CandidateRef, now: Date): Promise<WithdrawOutcome>;
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
  /** Scored ratings only: "can't judge" answers are not ratings, so agreement statistics never see them. */
  listRatings(studyId: string): Promise<StoredRating[]>;
  /** Judgments the participant has stored in the study (gold and "can't judge" included), for quotas and progress. */
  countRatings(studyId: string, participantId: string): Promise<number>;
  /**
   * The participant's attention checks in the study: gold items judged, and how many of those passed. "Can't judge"
   * on a gold item counts as a check not passed (gold items are made to be judgeable).
   */
  attentionTally(studyId: string, participantId: string): Promise<{ checked: number; passed: number }>;
  /**
   * Stores "can't judge" against the rater's lease on the item, completing the lease like a rating (same refusals).
   * The answer's coverage does not grow, so it goes to another rater.
   */
  skipRating(skip: NewSkip): Promise<SubmitOutcome>;
  /** The rater's most recent judgment (rating or can't judge) in the study, or null. */
  latestJudgment(studyId: string, participantId: string): Promise<LatestJudgment | null>;
  /**
   * Replaces the values of the rater's most recent judgment, which must be of `itemId` (else `not_latest`); scores may
   * become can't judge and back. Atomic; the lease and the judgment's time stay, `revised_at` is set.
   */
  reviseLatest(revision: Revision): Promise<ReviseOutcome>;
  /** Stores or replaces a rater's flag on an item they hold or have judged; false when they never had the item. */
  flagItem(flag: NewFlag): Promise<boolean>;
  listFlags(studyId: string): Promise<RatingFlag[]>;
  /** How many more items the queue could give the rater now, besides the one in hand (k, gold and eligibility apply). */
  availableFor(studyId: string, participantId: string, now: Date): Promise<number>;
  /** How many of the rater's judgments are "can't judge". */
  countSkips(studyId: string, participantId: string): Promise<number>;

  /**
   * Stores how a participant's task ended, unless the outcome stored already outranks it (`outcomeReplaces` in
   * shared/schemas/participant-outcome.ts: a completed task is not undone by a later time-out; a screen-out is final).
   * Returns the outcome in force afterwards. Atomic: concurrent ends of one participant keep the higher one.
   */
  recordOutcome(outcome: Omit<ParticipantOutcome, 'endedAt'> & { now: Date }): Promise<ParticipantOutcome>;
  /** The participant's stored outcome, or null while their task has not ended. */
  getOutcome(participantId: string): Promise<ParticipantOutcome | null>;
  /** The plays an actor holds or has completed in the study (released ones do not count): their quota's use. */
  playsTaken(studyId: string, participantId: string): Promise<number>;

  /** Per unit, candidate and rater counts; leases past expiry count as inactive. */
  progress(studyId: string, now: Date): Promise<Omit<AssignmentProgress, 'status' | 'raterOverlap'>>;
}
