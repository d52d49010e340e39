import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import { t } from '../../i18n/index.ts';

/** Where a participant is in their visit: the steps their role goes through, in order. */
export type StepKey = 'consent' | 'instructions' | 'practice' | 'task' | 'done';

interface Step {
  key: StepKey;
  label: string;
}

const ACTOR_STEPS = ['consent', 'practice', 'task', 'done'] as const;
// Raters have no practice round: their instructions take its place.
const RATER_STEPS = ['consent', 'instructions', 'task', 'done'] as const;

/** The role's steps, labelled in the participant's language. */
export function stepsFor(role: ParticipantRole): Step[] {
  const label = (key: StepKey): string => {
    if (key === 'task') return role === 'actor' ? t('steps.chatAndRate') : t('steps.rateAnswers');
    return t(`steps.${key}`);
  };
  return (role === 'actor' ? ACTOR_STEPS : RATER_STEPS).map((key) => ({ key, label: label(key) }));
}

/** The index of `current` among the role's steps; an actor's instructions belong to the practice step. */
export function activeStep(role: ParticipantRole, current: StepKey): number {
  const key = role === 'actor' && current === 'instructions' ? 'practice' : current;
  return Math.max(
    0,
    stepsFor(role).findIndex((s) => s.key === key),
  );
}

/** The researcher's estimate of the whole task, as the participant reads it; null when the study gives none. */
export function timeEstimateText(minutes: number | undefined): string | null {
  if (minutes === undefined || minutes <= 0) return null;
  if (minutes < 60) return t('steps.aboutMinutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest > 0 ? t('steps.aboutHoursMinutes', { hours, minutes: rest }) : t('steps.aboutHours', { hours });
}
