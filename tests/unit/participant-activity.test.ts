import { describe, expect, it } from 'vitest';
import { LiveStudySettingsSchema } from '../../shared/schemas/live-study.ts';
import { activeMinutes, participantEnd } from '../../server/services/research/participant-activity.ts';
import type { StudyParticipant } from '../../server/storage/research-storage.ts';

const at = (minutes: number): string => new Date(Date.UTC(2030, 0, 1, 9, 0) + minutes * 60_000).toISOString();

describe('activeMinutes', () => {
  it('sums the pauses between moments of activity', () => {
    expect(activeMinutes(at(0), [at(1), at(2.5), at(4)], [])).toBe(4);
  });

  it('drops a pause longer than 10 minutes and keeps one of exactly 10', () => {
    expect(activeMinutes(at(0), [at(2), at(14), at(15)], [])).toBe(3);
    expect(activeMinutes(at(0), [at(10), at(11)], [])).toBe(11);
  });

  it('counts a rating from its start (submitted minus seconds spent), merged with what overlaps it', () => {
    // Joined at 0, rated 0:30–3:30 and 3:00–5:00 (overlapping), then one 40 minutes later taking 2 minutes.
    const ratings = [
      { at: at(3.5), secondsSpent: 180 },
      { at: at(5), secondsSpent: 120 },
      { at: at(45), secondsSpent: 120 },
    ];
    expect(activeMinutes(at(0), [], ratings)).toBe(5 + 2);
  });

  it('counts a long rating in full, but never from before the person joined', () => {
    expect(activeMinutes(at(0), [], [{ at: at(25), secondsSpent: 25 * 60 }])).toBe(25);
    expect(activeMinutes(at(0), [], [{ at: at(1), secondsSpent: 3600 }])).toBe(1);
  });

  it('is 0 for someone who only joined, in any order of times given', () => {
    expect(activeMinutes(at(0), [], [])).toBe(0);
    expect(activeMinutes(at(0), [at(3), at(1), at(2)], [])).toBe(3);
  });
});

function participant(over: Partial<StudyParticipant>): StudyParticipant {
  return {
    id: 'p1',
    studyId: 's1',
    role: 'actor',
    inviteCode: null,
    createdAt: at(0),
    plays: { started: 0, completed: 0, selfRated: 0, timedOut: 0, otherwiseEnded: 0 },
    ratings: { done: 0, cantJudge: 0, attentionChecked: 0, attentionPassed: 0 },
    eventTimes: [],
    ratingTimes: [],
    outcome: null,
    ...over,
  };
}

const settings = LiveStudySettingsSchema.parse({
  quotas: { ratingsPerRater: 3 },
  completionCodes: { completed: 'DONE', failedAttention: 'ATTN', timedOut: '' },
});

describe('participantEnd', () => {
  it('prefers the stored outcome with the code the participant was shown', () => {
    const stored = { outcome: 'screened_out' as const, completionCode: 'OLD', endedAt: at(2) };
    expect(participantEnd(participant({ outcome: stored }), settings)).toEqual({
      outcome: 'screened_out',
      source: 'stored',
      completionCode: 'OLD',
      finishedAt: at(2),
    });
  });

  it('derives an actor’s end: self-rated is completed, idle is timed out (no code set), else in progress', () => {
    const rated = participant({
      plays: { started: 2, completed: 1, selfRated: 1, timedOut: 1, otherwiseEnded: 0 },
      eventTimes: [at(1), at(4)],
    });
    expect(participantEnd(rated, settings)).toEqual({
      outcome: 'completed',
      source: 'derived',
      completionCode: 'DONE',
      finishedAt: at(4),
    });
    const idle = participant({ plays: { started: 1, completed: 0, selfRated: 0, timedOut: 1, otherwiseEnded: 1 } });
    expect(participantEnd(idle, settings)).toMatchObject({ outcome: 'timed_out', completionCode: null });
    const playing = participant({ plays: { started: 1, completed: 0, selfRated: 0, timedOut: 0, otherwiseEnded: 0 } });
    expect(participantEnd(playing, settings)).toMatchObject({ outcome: 'in_progress', source: null });
    expect(participantEnd(participant({}), settings)).toMatchObject({ outcome: 'not_started' });
  });

  it('derives a rater’s end at the quota: failed attention when fewer than half the checks passed', () => {
    const rater = (done: number, checked: number, passed: number, cantJudge = 0) =>
      participant({
        role: 'rater',
        ratings: { done, cantJudge, attentionChecked: checked, attentionPassed: passed },
        ratingTimes: [{ at: at(7), secondsSpent: 10 }],
      });
    expect(participantEnd(rater(3, 2, 1), settings)).toMatchObject({ outcome: 'completed', completionCode: 'DONE' });
    expect(participantEnd(rater(3, 3, 1), settings)).toMatchObject({
      outcome: 'failed_attention',
      completionCode: 'ATTN',
      finishedAt: at(7),
    });
    expect(participantEnd(rater(2, 0, 0), settings)).toMatchObject({ outcome: 'in_progress' });
    // "Can't judge" answers count toward the quota, though they are not ratings.
    expect(participantEnd(rater(2, 0, 0, 1), settings)).toMatchObject({ outcome: 'completed' });
    expect(participantEnd(rater(0, 0, 0, 1), settings)).toMatchObject({ outcome: 'in_progress' });
    expect(participantEnd(rater(3, 0, 0), null)).toMatchObject({ outcome: 'in_progress' });
  });
});
