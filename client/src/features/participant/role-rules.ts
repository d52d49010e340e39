import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import { t } from '../../i18n/index.ts';

/**
 * The persona actor gets the same rules as the simulated user they stand in for (server/engine/prompts/
 * user-passive-nostop.v3.txt), in plain words: otherwise human and simulated conversations are not comparable.
 * The texts are in the participant catalog (rules.actor.*, rules.rater.*); these are their keys in order.
 */
const ACTOR_RULES = ['character', 'lead', 'reveal', 'minimal', 'rate'] as const;
const RATER_RULES = ['read', 'score', 'correct', 'independent', 'cantJudge', 'changed'] as const;

/** The built-in rules of a role in the participant's language, as [lead, rest] pairs. */
export function rulesFor(role: ParticipantRole): [string, string][] {
  if (role === 'actor') return ACTOR_RULES.map((k) => [t(`rules.actor.${k}.lead`), t(`rules.actor.${k}.rest`)]);
  return RATER_RULES.map((k) => [t(`rules.rater.${k}.lead`), t(`rules.rater.${k}.rest`)]);
}
