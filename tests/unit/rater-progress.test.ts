import { describe, expect, it } from 'vitest';
import type { RaterCounts } from '../../shared/schemas/live-study.ts';
import { mayCheckForMore, raterProgressText } from '../../client/src/features/participant/rater-progress.ts';
import { activeStep, stepsFor, timeEstimateText } from '../../client/src/features/participant/participant-steps.ts';

const counts = (over: Partial<RaterCounts>): RaterCounts => ({
  rated: 0,
  cantJudge: 0,
  quota: 20,
  available: 100,
  finished: false,
  ...over,
});

describe('the rater’s progress line', () => {
  it('says "of up to N" only while the queue can still take the rater to their quota', () => {
    expect(raterProgressText(counts({ rated: 3, available: 16 }), true)).toBe('3 rated of up to 20');
    // 3 rated + 1 in hand + 15 available = 19 < 20: the quota is out of reach, so it is not promised.
    expect(raterProgressText(counts({ rated: 3, available: 15 }), true)).toBe('3 rated · 16 more answers to rate now');
    expect(raterProgressText(counts({ rated: 3, available: 0 }), true)).toBe('3 rated · 1 more answer to rate now');
  });

  it('names "can’t judge" answers among those done, and says when the quota is met', () => {
    expect(raterProgressText(counts({ rated: 5, cantJudge: 2 }), true)).toBe('5 done (2 could not judge) of up to 20');
    expect(raterProgressText(counts({ rated: 20, finished: true }), false)).toBe('20 rated · all 20 done');
  });

  it('the first item: a plain start, or how few answers there are when fewer than the quota', () => {
    expect(raterProgressText(null, true)).toBe('Your first answer');
    expect(raterProgressText(counts({ available: 50 }), true)).toBe('Your first answer');
    expect(raterProgressText(counts({ available: 2 }), true)).toBe('Your first answer · 3 more answers to rate now');
  });

  it('offers to check for more answers only before the quota is met', () => {
    expect(mayCheckForMore(counts({ rated: 4, available: 0 }))).toBe(true);
    expect(mayCheckForMore(counts({ rated: 20, finished: true }))).toBe(false);
    expect(mayCheckForMore(null)).toBe(true);
  });
});

describe('the participant’s steps', () => {
  it('actors practise, raters read instructions; an actor’s instructions belong to the practice step', () => {
    expect(stepsFor('actor').map((s) => s.key)).toEqual(['consent', 'practice', 'task', 'done']);
    expect(stepsFor('rater').map((s) => s.key)).toEqual(['consent', 'instructions', 'task', 'done']);
    expect(activeStep('actor', 'instructions')).toBe(1);
    expect(activeStep('rater', 'instructions')).toBe(1);
    expect(activeStep('rater', 'task')).toBe(2);
    expect(activeStep('rater', 'practice')).toBe(0);
  });

  it('shows the researcher’s time estimate only when one is set', () => {
    expect(timeEstimateText(0)).toBeNull();
    expect(timeEstimateText(undefined)).toBeNull();
    expect(timeEstimateText(1)).toBe('About 1 minute in all');
    expect(timeEstimateText(25)).toBe('About 25 minutes in all');
    expect(timeEstimateText(90)).toBe('About 1 h 30 min in all');
    expect(timeEstimateText(120)).toBe('About 2 h in all');
  });
});
