import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import { OUTCOME_SETTING_KEY, type ParticipantOutcomeKind } from '../../../shared/schemas/participant-outcome.ts';
import type { StudyParticipant } from '../../storage/research-storage.ts';
import { failedAttention } from '../studies/rating-queue.ts';

/**
 * What the participants export says about each person's work: active minutes, and the outcome with its code when the
 * server did not store one (participants who finished before outcomes were stored). docs/data-formats.md, "Exports".
 */

/** A pause longer than this between two moments of activity means the person was away; it is not counted. */
export const IDLE_GAP_MINUTES = 10;

/**
 * Minutes of activity, to a tenth. A person was demonstrably at work at these moments and spans: joining, every event
 * of the live episodes they played, and each rating from its start (submitted minus the seconds spent on it, but not
 * before they joined) to its submission. In time order, the spans count in full and so does each pause between them
 * of at most {@link IDLE_GAP_MINUTES}; a longer pause counts as zero, so a person who came back the next day is not
 * counted for the night.
 */
export function activeMinutes(
  joinedAt: string,
  eventTimes: readonly string[],
  ratingTimes: readonly { at: string; secondsSpent: number }[],
): number {
  const joined = Date.parse(joinedAt);
  const first: [number, number] = [joined, joined];
  const spans = [
    first,
    ...eventTimes.map((t): [number, number] => [Date.parse(t), Date.parse(t)]),
    ...ratingTimes.map((r): [number, number] => {
      const end = Date.parse(r.at);
      return [Math.min(end, Math.max(joined, end - Math.max(0, r.secondsSpent) * 1000)), end];
    }),
  ]
    .filter(([from, to]) => Number.isFinite(from) && Number.isFinite(to))
    .sort((a, b) => a[0] - b[0]);
  let ms = 0;
  let reached: number | null = null;
  for (const [from, to] of spans) {
    if (reached === null || from > reached) {
      // A new stretch: the pause before it counts only if it is short.
      if (reached !== null && from - reached <= IDLE_GAP_MINUTES * 60_000) ms += from - reached;
      ms += to - from;
      reached = to;
    } else if (to > reached) {
      ms += to - reached; // overlaps what is already counted
      reached = to;
    }
  }
  return Math.round(ms / 6_000) / 10;
}

/** Not an ending: still working (has done something) or never started. */
export type OpenState = 'in_progress' | 'not_started';

export interface ParticipantEnd {
  outcome: ParticipantOutcomeKind | OpenState;
  /** `stored` when the server recorded the end as it happened; `derived` when worked out here from the work done. */
  source: 'stored' | 'derived' | null;
  completionCode: string | null;
  finishedAt: string | null;
}

function lastActivity(p: StudyParticipant): string | null {
  const times = [...p.eventTimes, ...p.ratingTimes.map((r) => r.at)].sort();
  return times[times.length - 1] ?? null;
}

/**
 * How a participant's task ended. The stored outcome when there is one; otherwise derived from the work itself with
 * the rules the server applies when a task ends: an actor who rated their answer completed, one whose play ended on
 * the idle timeout timed out; a rater who reached the quota completed, or failed attention if fewer than half of
 * their checks passed. The code is the study's current code for that outcome.
 */
export function participantEnd(p: StudyParticipant, settings: LiveStudySettings | null): ParticipantEnd {
  if (p.outcome) {
    return {
      outcome: p.outcome.outcome,
      source: 'stored',
      completionCode: p.outcome.completionCode,
      finishedAt: p.outcome.endedAt,
    };
  }
  let outcome: ParticipantOutcomeKind | null = null;
  if (p.role === 'actor') {
    if (p.plays.selfRated > 0) outcome = 'completed';
    else if (p.plays.timedOut > 0) outcome = 'timed_out';
  } else if (settings && p.ratings.done + p.ratings.cantJudge >= settings.quotas.ratingsPerRater) {
    const tally = { checked: p.ratings.attentionChecked, passed: p.ratings.attentionPassed };
    outcome = failedAttention(tally) ? 'failed_attention' : 'completed';
  }
  if (outcome === null) {
    const started = p.plays.started > 0 || p.ratings.done + p.ratings.cantJudge > 0;
    return { outcome: started ? 'in_progress' : 'not_started', source: null, completionCode: null, finishedAt: null };
  }
  const code = settings?.completionCodes[OUTCOME_SETTING_KEY[outcome]] ?? '';
  return {
    outcome,
    source: 'derived',
    completionCode: code === '' ? null : code,
    finishedAt: lastActivity(p),
  };
}
