import { describe, expect, it } from 'vitest';
import type { ParticipantJourney } from '../../shared/schemas/participant-outcome.ts';
import { firstJoinStep } from '../../client/src/features/participant/first-join-step.ts';

const journey = (over: Partial<ParticipantJourney> = {}): ParticipantJourney => ({
  outcome: null,
  screeningQuestion: '',
  outOfWork: { policy: 'wait', waitMinutes: 5 },
  playsLeft: null,
  participantLanguage: 'en',
  consent: { text: 'Consent.', sha256: 'a'.repeat(64), decision: null, decidedAt: null },
  ...over,
});
const ended = journey({
  outcome: { outcome: 'screened_out', completionCode: 'S1', completionUrl: null, at: '2030-01-01T00:00:00.000Z' },
  screeningQuestion: 'Fluent?',
});

/** What the browser remembers: nothing, consent only, consent and instructions, everything. */
const none = { consent: false, instructions: false, practice: false };
const consented = { ...none, consent: true };
const instructed = { ...consented, instructions: true };
const practised = { ...instructed, practice: true };

/** The journey of someone whose agreement the server has. */
const agreed = (over: Partial<ParticipantJourney> = {}): ParticipantJourney =>
  journey({ consent: { text: 'Consent.', sha256: 'a'.repeat(64), decision: 'agreed', decidedAt: 'then' }, ...over });

describe('the first step after opening an invitation link', () => {
  it('a stored end goes to the done page, whatever this browser remembers', () => {
    expect(firstJoinStep(none, ended, 'actor')).toBe('done');
    expect(firstJoinStep(practised, ended, 'actor')).toBe('done');
  });

  it('the screening question comes before consent, and only when the study asks one', () => {
    expect(firstJoinStep(none, journey({ screeningQuestion: 'Do you read English fluently?' }), 'actor')).toBe(
      'screening',
    );
    expect(firstJoinStep(none, journey({ screeningQuestion: '  \n' }), 'actor')).toBe('consent');
    expect(firstJoinStep(none, journey(), 'rater')).toBe('consent');
  });

  it('someone who consented here has answered it already; a failed journey request still lets people in', () => {
    expect(firstJoinStep(consented, agreed({ screeningQuestion: 'Fluent?' }), 'actor')).toBe('instructions');
    expect(firstJoinStep(none, null, 'actor')).toBe('consent');
    expect(firstJoinStep(consented, null, 'actor')).toBe('instructions');
  });

  it('a returning participant goes on from the first step not done: practice for actors, then the task', () => {
    expect(firstJoinStep(instructed, agreed(), 'actor')).toBe('practice');
    expect(firstJoinStep(instructed, agreed(), 'rater')).toBe('task');
    expect(firstJoinStep(practised, agreed({ screeningQuestion: 'Fluent?' }), 'actor')).toBe('task');
    expect(firstJoinStep(practised, null, 'actor')).toBe('task');
  });

  it('consent is the server’s record: agreed on another device counts, a refusal shows the declined page', () => {
    expect(firstJoinStep(none, agreed(), 'actor')).toBe('instructions');
    // This browser remembers agreeing, but the server has no record: the consent step again, not a refused task.
    expect(firstJoinStep(practised, journey(), 'actor')).toBe('consent');
    const declined = journey({ consent: { text: 'C.', sha256: 'a'.repeat(64), decision: 'refused', decidedAt: 'x' } });
    expect(firstJoinStep(none, declined, 'rater')).toBe('declined');
  });
});
