import type { RatingFlagKind, TranscriptTurn } from '../../../shared/schemas/live-study.ts';
import type { AssignmentProgress, RatingFlag } from '../../../shared/schemas/assignment-progress.ts';
import type {
  GoldExpectation,
  LatestJudgment,
  LeaseStatus,
  RatingLease,
  StoredRating,
  Verdict,
} from '../study-work-storage.ts';

// The rating queue's rows and their mappers, for both engines (sqlite/rating-queue-queries.ts and
// rating-judgment-queries.ts, postgres/postgres-work-rating.ts and postgres-work-judgments.ts): the same columns,
// JSON as text and times ISO text on both. The queries stay per engine (placeholders, collation).

/** A `rating_leases` row (`l`) joined with its `rating_candidates` row (`c`). */
export interface RatingLeaseRow {
  id: string;
  study_id: string;
  participant_id: string;
  item_id: string;
  problem_id: string;
  answer: string;
  transcript_json: string | null;
  gold_json: string | null;
  status: string;
  leased_at: string;
  expires_at: string;
}

export const RATING_LEASE_COLUMNS = `l.id, l.study_id, l.participant_id, c.item_id, c.problem_id, c.answer, c.transcript_json, c.gold_json,
  l.status, l.leased_at, l.expires_at`;

export function toRatingLease(r: RatingLeaseRow): RatingLease {
  return {
    id: r.id,
    studyId: r.study_id,
    participantId: r.participant_id,
    itemId: r.item_id,
    problemId: r.problem_id,
    answer: r.answer,
    transcript: r.transcript_json === null ? null : (JSON.parse(r.transcript_json) as TranscriptTurn[]),
    gold: parseGold(r.gold_json),
    status: r.status as LeaseStatus,
    leasedAt: r.leased_at,
    expiresAt: r.expires_at,
  };
}

function parseGold(json: string | null): GoldExpectation | null {
  return json === null ? null : (JSON.parse(json) as GoldExpectation);
}

/** A rater's most recently completed lease, with the rating or "can't judge" stored for it (if any). */
export interface LatestRow {
  lease_id: string;
  candidate_id: number;
  item_id: string;
  problem_id: string;
  gold_json: string | null;
  rating_id: number | null;
  skip_id: number | null;
}

/** The columns of a LatestRow, from `rating_leases l JOIN rating_candidates c`. */
export const LATEST_COLUMNS = `l.id AS lease_id, c.id AS candidate_id, c.item_id, c.problem_id, c.gold_json,
      (SELECT r.id FROM ratings r WHERE r.lease_id = l.id) AS rating_id,
      (SELECT s.id FROM rating_skips s WHERE s.lease_id = l.id) AS skip_id`;

/** A completed lease with nothing stored for it (its judgment was deleted) is no latest judgment. */
export function hasJudgment(row: LatestRow | undefined): row is LatestRow {
  return row !== undefined && (row.rating_id !== null || row.skip_id !== null);
}

/** `rated`: the rater's ratings in the study now, the latest one included when it is a rating. */
export function toLatestJudgment(row: LatestRow, rated: number): LatestJudgment {
  return {
    itemId: row.item_id,
    problemId: row.problem_id,
    gold: parseGold(row.gold_json),
    kind: row.rating_id !== null ? 'scores' : 'cant_judge',
    before: rated - 1,
  };
}

/** `ratings.attention_passed`: an integer on both engines, null for an answer that is no attention check. */
export function attentionValue(passed: boolean | null): number | null {
  return passed === null ? null : passed ? 1 : 0;
}

export interface FlagRow {
  item_id: string;
  problem_id: string;
  source_episode_id: string | null;
  participant_id: string;
  kind: string;
  note: string;
  created_at: string;
}

/** The columns of a FlagRow, from `rating_flags f JOIN rating_candidates c`. */
export const FLAG_COLUMNS =
  'c.item_id, c.problem_id, c.source_episode_id, f.participant_id, f.kind, f.note, f.created_at';

export function toRatingFlag(r: FlagRow): RatingFlag {
  return {
    itemId: r.item_id,
    problemId: r.problem_id,
    sourceEpisodeId: r.source_episode_id,
    participantId: r.participant_id,
    kind: r.kind as RatingFlagKind,
    note: r.note,
    createdAt: r.created_at,
  };
}

/** A stored rating with its candidate, as the researcher's ratings list reads it. */
export interface StoredRatingRow {
  item_id: string;
  problem_id: string;
  source_episode_id: string | null;
  is_gold: number;
  participant_id: string;
  scores_json: string;
  correct: number;
  justification: string;
  seconds_spent: number;
  attention_passed: number | null;
  created_at: string;
}

/** The columns of a StoredRatingRow, from `ratings r JOIN rating_candidates c`. */
export const STORED_RATING_COLUMNS = `c.item_id, c.problem_id, c.source_episode_id, c.is_gold, r.participant_id, r.scores_json, r.correct,
      r.justification, r.seconds_spent, r.attention_passed, r.created_at`;

export function toStoredRating(r: StoredRatingRow): StoredRating {
  return {
    itemId: r.item_id,
    problemId: r.problem_id,
    sourceEpisodeId: r.source_episode_id,
    isGold: r.is_gold === 1,
    participantId: r.participant_id,
    scores: JSON.parse(r.scores_json) as Record<string, number>,
    correct: r.correct === 1 ? 1 : 0,
    justification: r.justification,
    secondsSpent: r.seconds_spent,
    attentionPassed: r.attention_passed === null ? null : r.attention_passed === 1,
    createdAt: r.created_at,
  };
}

type CandidateProgress = AssignmentProgress['candidates'][number];

/**
 * A candidate's line of the progress view as the query returns it: `is_gold` an integer on both engines, `withdrawn`
 * a boolean on PostgreSQL and 0/1 on SQLite.
 */
export type CandidateProgressRow = Omit<CandidateProgress, 'isGold' | 'withdrawn'> & {
  isGold: number;
  withdrawn: boolean | number;
};

/** `withdrawn` appears only on withdrawn candidates. */
export function toCandidateProgress({ withdrawn, ...c }: CandidateProgressRow): CandidateProgress {
  return { ...c, isGold: c.isGold === 1, ...(withdrawn === true || withdrawn === 1 ? { withdrawn: true } : {}) };
}

/** Where a judgment is stored: the answer, the study and rater, and the lease it completes. */
export interface JudgmentKey {
  candidateId: number;
  studyId: string;
  participantId: string;
  leaseId: string;
}

type ScoresVerdict = Omit<Extract<Verdict, { kind: 'scores' }>, 'kind'>;
type CantJudgeVerdict = Omit<Extract<Verdict, { kind: 'cant_judge' }>, 'kind'>;

/** The columns a new `ratings` row is inserted with; ratingValues gives its values in this order. */
export const RATING_INSERT_COLUMNS = `candidate_id, study_id, participant_id, lease_id, scores_json, correct, justification,
  seconds_spent, attention_passed, created_at`;

export function ratingValues(k: JudgmentKey, v: ScoresVerdict, secondsSpent: number, createdAt: string): unknown[] {
  return [
    k.candidateId,
    k.studyId,
    k.participantId,
    k.leaseId,
    JSON.stringify(v.scores),
    v.correct,
    v.justification,
    secondsSpent,
    attentionValue(v.attentionPassed),
    createdAt,
  ];
}

/** The columns a new `rating_skips` row ("can't judge") is inserted with; skipValues gives its values in this order. */
export const SKIP_INSERT_COLUMNS =
  'candidate_id, study_id, participant_id, lease_id, reason, note, seconds_spent, created_at';

export function skipValues(k: JudgmentKey, v: CantJudgeVerdict, secondsSpent: number, createdAt: string): unknown[] {
  return [k.candidateId, k.studyId, k.participantId, k.leaseId, v.reason, v.note, secondsSpent, createdAt];
}

/** The key a revision re-stores a judgment under: the latest judgment's answer and lease, the reviser's study. */
export function judgmentKeyOf(row: LatestRow, r: { studyId: string; participantId: string }): JudgmentKey {
  return { candidateId: row.candidate_id, studyId: r.studyId, participantId: r.participantId, leaseId: row.lease_id };
}
