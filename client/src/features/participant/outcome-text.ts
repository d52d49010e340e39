import type { ParticipantOutcomeKind } from '../../../../shared/schemas/participant-outcome.ts';
import { t } from '../../i18n/index.ts';

/** The done page's lead for a stored end: plain words, never blaming the participant. */
export function outcomeMessage(outcome: ParticipantOutcomeKind): string {
  return t(`outcome.${outcome}`);
}

/**
 * The line above the completion code. Only a completed task is sure to be paid; for any other end (a screen-out, no
 * work left, a failed check, a timeout, or an end not stored yet) the researcher decides on Prolific, so the line
 * says where the code goes without promising pay.
 */
export function codeLead(outcome: ParticipantOutcomeKind | null): string {
  return outcome === 'completed' ? t('done.codeLead') : t('done.codeLeadNoPromise');
}
