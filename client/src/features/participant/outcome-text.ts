import type { ParticipantOutcomeKind } from '../../../../shared/schemas/participant-outcome.ts';
import { t } from '../../i18n/index.ts';

/** The done page's lead for a stored end: plain words, never blaming the participant. */
export function outcomeMessage(outcome: ParticipantOutcomeKind): string {
  return t(`outcome.${outcome}`);
}
