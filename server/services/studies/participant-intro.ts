import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';

/** What a participant is shown before their task, for their role. */
export interface ParticipantIntro {
  /** '' when the study has none: the page shows its default consent for the role. */
  consentText: string;
  instructions: string;
  /** The researcher's estimate of the task's length in minutes; 0 when not given. */
  estimatedMinutes: number;
}

/**
 * Raters are shown the rater consent, or the study's consent while that is empty (studies saved before rater consent
 * existed keep what their raters saw); actors always the study's consent. Instructions and time are per role.
 */
export function participantIntro(settings: LiveStudySettings | null, role: ParticipantRole): ParticipantIntro {
  if (!settings) return { consentText: '', instructions: '', estimatedMinutes: 0 };
  const consentText =
    role === 'rater' && settings.raterConsentText.trim() !== '' ? settings.raterConsentText : settings.consentText;
  return { consentText, instructions: settings.instructions[role], estimatedMinutes: settings.estimatedMinutes[role] };
}
