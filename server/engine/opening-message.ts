import type { NormalizedProblem } from '../../shared/schemas/problem.ts';

export const OPENING_PREFIX = 'I need help with the following task: ';

/**
 * The first message of every episode, spoken by the user, as in the reference: the task, then one `A. text` line per
 * option when the problem has options.
 */
export function openingMessage(problem: Pick<NormalizedProblem, 'question' | 'options'>): string {
  const options = Object.entries(problem.options).map(([label, text]) => `${label}. ${text}`);
  return options.length > 0
    ? `${OPENING_PREFIX}${problem.question}\n${options.join('\n')}`
    : `${OPENING_PREFIX}${problem.question}`;
}
