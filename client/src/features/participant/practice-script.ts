import { t } from '../../i18n/index.ts';
import type { QuestionTag } from '../../store/play-log.ts';

/**
 * The practice round: a canned two-question exchange played entirely in the browser (no server, no model), so an
 * actor learns the screen before a real conversation is recorded. Each step says what the rules ask for here.
 */

/** Sam, the practice persona, in the participant's language (the name stays). */
function practicePersona() {
  return {
    name: 'Sam Rivera',
    minimal_necessary_description: t('practice.persona.summary'),
    demographics: { age: 34, occupation: t('practice.persona.occupation'), location: t('practice.persona.location') },
  };
}

function practicePreferences(): Record<string, Record<string, unknown>> {
  return {
    [t('practice.prefs.length.name')]: {
      value: t('practice.prefs.length.value'),
      local_importance: 5,
      description: t('practice.prefs.length.description'),
      justification: t('practice.prefs.length.justification'),
    },
    [t('practice.prefs.units.name')]: {
      value: t('practice.prefs.units.value'),
      local_importance: 3,
      description: t('practice.prefs.units.description'),
      justification: t('practice.prefs.units.justification'),
    },
  };
}

export interface PracticeTurn {
  question: string;
  /** What a good in-character reply looks like here, and why. */
  hint: string;
  /** A tag that fits this question (the hint suggests it; tagging stays optional). */
  suggestedTag: QuestionTag | null;
}

/** The whole practice script in the participant's language: read once per practice round. */
export function practiceScript() {
  const turns: PracticeTurn[] = [
    { question: t('practice.q1'), hint: t('practice.hint1'), suggestedTag: 'relevant' },
    { question: t('practice.q2'), hint: t('practice.hint2'), suggestedTag: 'redundant' },
  ];
  return {
    persona: practicePersona(),
    preferences: practicePreferences(),
    task: t('practice.task'),
    turns,
    answer: t('practice.answer'),
  };
}
