import type { ParticipantJourney } from '../../../../shared/schemas/participant-outcome.ts';

/** `task`: everything before the task is done; straight to playing (actors) or rating (raters). */
export type FirstJoinStep = 'done' | 'declined' | 'screening' | 'consent' | 'instructions' | 'practice' | 'task';

/** The steps before the task this browser remembers the participant doing (session-memory.ts). */
export interface StepsDone {
  consent: boolean;
  instructions: boolean;
  practice: boolean;
}

/**
 * Where a participant goes right after opening their link: a stored end (they finished, or were screened out, on
 * this or another device) goes to the done page; otherwise the screening question, when the study asks one, before
 * consent; someone who consented in this browser already has answered it, and goes on from the first step not done
 * yet, so a returning participant lands back in their task. Only actors practise. Without the journey (its request
 * failed) the way in still works: only screening and a stored end are missed. Consent is the server's record when
 * the journey came (agreed on another device counts; someone who declined sees that page again); this browser's
 * memory stands in only when it did not.
 */
export function firstJoinStep(
  done: StepsDone,
  journey: ParticipantJourney | null,
  role: 'actor' | 'rater',
): FirstJoinStep {
  if (journey?.outcome) return 'done';
  if (journey?.consent.decision === 'refused') return 'declined';
  const consented = journey ? journey.consent.decision === 'agreed' : done.consent;
  if (!consented) return journey !== null && journey.screeningQuestion.trim() !== '' ? 'screening' : 'consent';
  if (!done.instructions) return 'instructions';
  if (role === 'actor' && !done.practice) return 'practice';
  return 'task';
}
