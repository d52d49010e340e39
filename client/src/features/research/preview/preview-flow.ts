import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import type { ParticipantOutcomeKind } from '../../../../../shared/schemas/participant-outcome.ts';
import type { PreviewAction } from '../../participant/preview-context.ts';

/**
 * The order of the previewed pages, as a participant of each role meets them: the screening question (only when the
 * study asks one), consent, instructions, the practice round (actors), the task, the done page. Pure, so the console's
 * preview and its unit test share it.
 */
export type PreviewStep = 'screening' | 'consent' | 'instructions' | 'practice' | 'task' | 'done';

export const STEP_LABELS: Record<PreviewStep, string> = {
  screening: 'Screening',
  consent: 'Consent',
  instructions: 'Instructions',
  practice: 'Practice',
  task: 'Task',
  done: 'Done',
};

export function previewSteps(role: ParticipantRole, screening: boolean): PreviewStep[] {
  const steps: PreviewStep[] = screening ? ['screening'] : [];
  steps.push('consent', 'instructions');
  if (role === 'actor') steps.push('practice');
  steps.push('task', 'done');
  return steps;
}

export interface PreviewPosition {
  step: PreviewStep;
  /** The end the done page shows. */
  end: ParticipantOutcomeKind;
}

/** Where a participant's button leads: what the real pages' store actions would lead to, without the server. */
export function afterAction(position: PreviewPosition, action: PreviewAction | 'submitted'): PreviewPosition {
  switch (action) {
    case 'screening-no':
      return { step: 'done', end: 'screened_out' };
    case 'screening-yes':
      return { ...position, step: 'consent' };
    case 'consent':
      return { ...position, step: 'instructions' };
    case 'instructions':
      // An actor's instructions lead to the practice round; the task page skips it when the role has none.
      return { ...position, step: 'practice' };
    case 'practice':
    case 'more':
      return { ...position, step: 'task' };
    case 'submitted':
      return { step: 'done', end: 'completed' };
  }
}

/** `afterAction`, with a step the role does not have (a rater's practice) passed over to the next one it has. */
export function nextPosition(
  role: ParticipantRole,
  position: PreviewPosition,
  action: PreviewAction | 'submitted',
): PreviewPosition {
  const next = afterAction(position, action);
  if (next.step === 'practice' && role === 'rater') return { ...next, step: 'task' };
  return next;
}
