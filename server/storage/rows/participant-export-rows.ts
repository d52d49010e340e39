import { ParticipantOutcomeKindSchema } from '../../../shared/schemas/participant-outcome.ts';
import type { ProlificIds } from '../people-storage.ts';
import type { StudyParticipant } from '../research-storage.ts';
import type { ParticipantRow } from './people-rows.ts';

// The participants export's rows and how one page of them becomes StudyParticipants, for both engines. Each engine
// reads the same rows in its own SQL (counts arrive as numbers on both: SQLite's integers, PostgreSQL's int8 through
// the parser in postgres/pg-database.ts); everything after the reads is here.

/** A participant with their stored outcome. */
export interface ExportParticipantRow extends ParticipantRow {
  outcome: string | null;
  completion_code: string | null;
  ended_at: string | null;
}

/** A participant's live plays, counted by how they ended. */
export interface PlayCountsRow {
  participant_id: string;
  started: number;
  completed: number;
  self_rated: number;
  timed_out: number;
  otherwise_ended: number;
}

export interface RatingCountsRow {
  participant_id: string;
  done: number;
  checked: number;
  passed: number;
}

/** A participant's "can't judge" answers, and how many of them were on gold items. */
export interface SkipCountsRow {
  participant_id: string;
  skipped: number;
  gold_skipped: number;
}

/** One event time of a participant's plays, in time order. */
export interface EventTimeRow {
  participant_id: string;
  at: string;
}

/** One rating or "can't judge" answer's time, in time order. */
export interface RatingTimeRow {
  participant_id: string;
  created_at: string;
  seconds_spent: number;
}

export interface PageReads {
  plays: readonly PlayCountsRow[];
  ratings: readonly RatingCountsRow[];
  skips: readonly SkipCountsRow[];
  eventTimes: readonly EventTimeRow[];
  ratingTimes: readonly RatingTimeRow[];
}

export type ProlificIdsRow = Pick<ParticipantRow, 'id' | 'prolific_pid' | 'prolific_study_id' | 'prolific_session_id'>;

/** The page's participants, in the order read, each with what the other reads found for them. */
export function toStudyParticipants(rows: readonly ExportParticipantRow[], reads: PageReads): StudyParticipant[] {
  const plays = byParticipant(reads.plays);
  const ratings = byParticipant(reads.ratings);
  const skips = byParticipant(reads.skips);
  const eventTimes = groupBy(reads.eventTimes, (r) => r.at);
  const ratingTimes = groupBy(reads.ratingTimes, (r) => ({ at: r.created_at, secondsSpent: r.seconds_spent }));
  return rows.map((r) => {
    const p = plays.get(r.id);
    // Only the stored kinds pass; a hand-edited row with another value reads as no outcome rather than a wrong one.
    const outcome = ParticipantOutcomeKindSchema.safeParse(r.outcome);
    const rated = ratings.get(r.id);
    const skipped = skips.get(r.id);
    return {
      id: r.id,
      studyId: r.study_id,
      role: r.role,
      ...prolificOf(r),
      inviteCode: r.invite_code,
      createdAt: r.created_at,
      plays: {
        started: p?.started ?? 0,
        completed: p?.completed ?? 0,
        selfRated: p?.self_rated ?? 0,
        timedOut: p?.timed_out ?? 0,
        otherwiseEnded: p?.otherwise_ended ?? 0,
      },
      ratings: {
        done: rated?.done ?? 0,
        // "Can't judge" answers count toward a rater's quota (and one on a gold item is a failed attention check),
        // so a researcher paying per item sees them beside the ratings.
        cantJudge: skipped?.skipped ?? 0,
        attentionChecked: (rated?.checked ?? 0) + (skipped?.gold_skipped ?? 0),
        attentionPassed: rated?.passed ?? 0,
      },
      eventTimes: eventTimes.get(r.id) ?? [],
      ratingTimes: ratingTimes.get(r.id) ?? [],
      outcome:
        outcome.success && r.ended_at !== null
          ? { outcome: outcome.data, completionCode: r.completion_code, endedAt: r.ended_at }
          : null,
    };
  });
}

export function toProlificIds(rows: readonly ProlificIdsRow[]): Map<string, ProlificIds> {
  return new Map(rows.map((r) => [r.id, prolificOf(r)]));
}

function prolificOf(
  r: Pick<ParticipantRow, 'prolific_pid' | 'prolific_study_id' | 'prolific_session_id'>,
): ProlificIds {
  return {
    ...(r.prolific_pid === null ? {} : { prolificPid: r.prolific_pid }),
    ...(r.prolific_study_id === null ? {} : { prolificStudyId: r.prolific_study_id }),
    ...(r.prolific_session_id === null ? {} : { prolificSessionId: r.prolific_session_id }),
  };
}

function byParticipant<R extends { participant_id: string }>(rows: readonly R[]): Map<string, R> {
  return new Map(rows.map((r) => [r.participant_id, r]));
}

function groupBy<R extends { participant_id: string }, T>(rows: readonly R[], value: (row: R) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.participant_id) ?? [];
    list.push(value(row));
    groups.set(row.participant_id, list);
  }
  return groups;
}
