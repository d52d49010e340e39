import type { QuestionTag } from '../../store/play-log.ts';

/**
 * The practice round: a canned two-question exchange played entirely in the browser (no server, no model), so an
 * actor learns the screen before a real conversation is recorded. Each step says what the rules ask for here.
 */
export const PRACTICE_PERSONA = {
  name: 'Sam Rivera',
  minimal_necessary_description:
    'A 34-year-old bakery owner who wants quick, practical answers between batches of bread.',
  demographics: { age: 34, occupation: 'Runs a small neighbourhood bakery', location: 'Bristol, UK' },
};

export const PRACTICE_PREFERENCES: Record<string, Record<string, unknown>> = {
  'Answer length': {
    value: 'just the result',
    local_importance: 5,
    description: 'How much working the answer should show',
    justification: 'Sam reads answers on a phone with floury hands.',
  },
  'Everyday units': {
    value: 'grams',
    local_importance: 3,
    description: 'Which units feel natural',
    justification: 'The bakery scales are in grams.',
  },
};

export const PRACTICE_TASK =
  'My bread recipe needs 15% more flour than usual. I normally use 800 g. How much should I use now?';

export interface PracticeTurn {
  question: string;
  /** What a good in-character reply looks like here, and why. */
  hint: string;
  /** A tag that fits this question (the hint suggests it; tagging stays optional). */
  suggestedTag: QuestionTag | null;
}

export const PRACTICE_TURNS: PracticeTurn[] = [
  {
    question: 'Before I work this out: would you like just the result, or the full working step by step?',
    hint: 'This asks about “Answer length”, one of Sam’s hidden preferences. Reveal it briefly, in character — for example: “Just the result, please.”',
    suggestedTag: 'relevant',
  },
  {
    question: 'Would it help if I compared this with other recipes you bake, such as croissants?',
    hint: 'Nothing on Sam’s card covers this. Answer minimally — “No strong feelings about that.” — and do not volunteer other preferences. Try tagging this question: focus it and press 2 for “redundant”, or use the buttons.',
    suggestedTag: 'redundant',
  },
];

export const PRACTICE_ANSWER = 'Use 920 g of flour: 15% of 800 g is 120 g, and 800 g + 120 g = 920 g.';
