import { describe, expect, it } from 'vitest';
import type { ParticipantJourney } from '../../shared/schemas/participant-outcome.ts';
import { showsWithdraw, type WithdrawContext } from '../../client/src/features/participant/withdraw-visibility.ts';

const journey = (decision: ParticipantJourney['consent']['decision']): ParticipantJourney => ({
  outcome: null,
  screeningQuestion: 'Fluent?',
  outOfWork: { policy: 'wait', waitMinutes: 5 },
  playsLeft: null,
  participantLanguage: 'en',
  consent: { text: 'Consent.', sha256: 'a'.repeat(64), decision, decidedAt: decision ? 'then' : null },
});

const on = (over: Partial<WithdrawContext>): boolean =>
  showsWithdraw({ route: 'join', joined: true, joinStep: 'idle', journey: null, withdrawn: false, ...over });

describe('when the participant header offers "Withdraw"', () => {
  it('not before an agreement: screening, consent, a refusal, a screen-out', () => {
    expect(on({ joinStep: 'screening', journey: journey(null) })).toBe(false);
    expect(on({ joinStep: 'consent', journey: journey(null) })).toBe(false);
    expect(on({ joinStep: 'declined', journey: journey('refused') })).toBe(false);
    expect(on({ route: 'done', journey: journey(null) })).toBe(false);
    // Before the link has made this browser a participant there is no one to withdraw.
    expect(on({ joined: false, joinStep: 'joining' })).toBe(false);
    expect(on({ route: 'play', joined: false })).toBe(false);
  });

  it('once the server has the agreement, on every page until the person has withdrawn', () => {
    for (const route of ['join', 'play', 'rate', 'done'] as const) {
      expect(on({ route, joinStep: 'instructions', journey: journey('agreed') })).toBe(true);
    }
    expect(on({ joinStep: 'practice', journey: journey('agreed'), withdrawn: true })).toBe(false);
  });

  it('without the journey, only the steps that follow an agreement show it', () => {
    expect(on({ joinStep: 'consent' })).toBe(false);
    expect(on({ joinStep: 'failed' })).toBe(false);
    expect(on({ joinStep: 'instructions' })).toBe(true);
    expect(on({ joinStep: 'practice' })).toBe(true);
    expect(on({ route: 'rate' })).toBe(true);
  });
});
