import type { ParticipantJourney } from '../../../../shared/schemas/participant-outcome.ts';
import type { Route } from '../../app/router.ts';
import type { JoinStep } from '../../store/participant-slice.ts';

export interface WithdrawContext {
  route: Exclude<Route, { name: 'researcher' }>['name'];
  /** Whether the invitation link has made this browser a participant. */
  joined: boolean;
  joinStep: JoinStep;
  journey: ParticipantJourney | null;
  withdrawn: boolean;
}

/**
 * Whether the header offers "Withdraw": only once the participant has agreed to take part. Before that there is
 * nothing to withdraw from (the screening question, the consent page, a refusal, a screen-out): declining is the
 * consent page's own "I do not agree". The server's stored decision counts when the journey has come; without it,
 * the join page's instructions and practice steps come only after an agreement, and the pages after the join (play,
 * rate, done) open only for someone who got past consent, so those stand in for it.
 */
export function showsWithdraw({ route, joined, joinStep, journey, withdrawn }: WithdrawContext): boolean {
  if (withdrawn || !joined) return false;
  if (journey) return journey.consent.decision === 'agreed';
  if (route === 'join') return joinStep === 'instructions' || joinStep === 'practice';
  return true;
}
