import type { Preference } from '../../../shared/schemas/preference.ts';
import type { NormalizedProblem } from '../../../shared/schemas/problem.ts';
import type { ModelMessage } from '../model-provider.ts';
import { stableHash } from './text-match.ts';

/** What the scripted assistant may know: the problem it was given and, in the oracle condition, the preferences. */
export interface AssistantHint {
  mode: 'no_prompt' | 'persona_known' | 'infer_persona';
  problemId: string;
  problem: NormalizedProblem;
  fixedQuestions: number | null;
  /** Only in persona_known, where the model's system prompt contains them. */
  preferences?: Record<string, Preference>;
}

/** Generic probes: the scripted assistant does not know the hidden dimension names, so it asks broadly. */
const PROBES = [
  'Before I explain, how familiar are you with the ideas behind this problem, and how much detail and depth would you like?',
  'Would examples, stories or analogies from your own work, hobbies or daily life help you understand?',
  'How comfortable are you with formulas, notation and technical terms? Should I keep symbols and jargon to a minimum?',
  'Do you prefer a step-by-step structure, visual pictures or diagrams, or a short and direct answer?',
  'What tone helps you most: patient and encouraging, or brief and to the point? Is there anything that makes you anxious?',
  'Is there a practical goal or situation you want to use this for, so I can connect the answer to it?',
];

/** Questions it asks before answering on its own (the rest of the 5-turn budget shows the early-answer path). */
const OWN_QUESTION_BUDGET = 4;

/** The scripted user states a preference as "About <name>: <value> — …"; this is how the assistant learns it. */
const LEARNED = /About ([^:\n]+): ([^—\n]+?) —/g;

function learnedPreferences(messages: ModelMessage[]): Map<string, string> {
  const learned = new Map<string, string>();
  for (const m of messages) {
    if (m.role !== 'user') continue;
    for (const match of m.content.matchAll(LEARNED)) learned.set((match[1] ?? '').trim(), (match[2] ?? '').trim());
  }
  return learned;
}

function coreAnswer(hint: AssistantHint): string {
  const { problem } = hint;
  // Deterministically wrong on about one problem in seven, so accuracy is not trivially 100%.
  const wrong = stableHash(hint.problemId.replace(/_.*$/, '') + problem.question) % 7 === 0;
  const labels = Object.keys(problem.options);
  if (labels.length > 0) {
    const gold = String(problem.answer);
    const pick = wrong ? (labels.find((l) => l !== gold) ?? gold) : gold;
    return `The answer is ${pick}: ${problem.options[pick] ?? ''}.`;
  }
  return wrong
    ? 'The answer is not something I can pin down with certainty here.'
    : `The answer is ${String(problem.answer)}.`;
}

function adaptedAnswer(hint: AssistantHint, adaptations: [string, string][]): string {
  const parts = [coreAnswer(hint)];
  if (hint.problem.solution) parts.push(`Reasoning: ${hint.problem.solution.split('\n')[0] ?? ''}`);
  for (const [name, value] of adaptations)
    parts.push(`Adapted to your ${name} (${value}): the explanation is shaped for this.`);
  return parts.join('\n');
}

function format(action: 'ask_question' | 'final_answer', response: string): string {
  return `###ACTION###: '${action}'\n###RESPONSE###: ${response}`;
}

/** The scripted model under test: follows the discovery protocol, then answers using what it learned. */
export function scriptedAssistantReply(messages: ModelMessage[], hint: AssistantHint): string {
  if (hint.mode === 'no_prompt') return adaptedAnswer(hint, []);
  if (hint.mode === 'persona_known') {
    const prefs = Object.entries(hint.preferences ?? {}).map(([name, p]): [string, string] => [name, String(p.value)]);
    return adaptedAnswer(hint, prefs);
  }
  const asked = messages.filter((m) => m.role === 'assistant').length;
  const last = messages[messages.length - 1];
  const finalRequested = last?.role === 'user' && /final answer/i.test(last.content);
  if (finalRequested) return format('final_answer', adaptedAnswer(hint, [...learnedPreferences(messages)]));
  if (hint.fixedQuestions === null && asked >= OWN_QUESTION_BUDGET) {
    return format('final_answer', adaptedAnswer(hint, [...learnedPreferences(messages)]));
  }
  return format('ask_question', PROBES[asked % PROBES.length] ?? PROBES[0] ?? '');
}
