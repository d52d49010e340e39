import type { Criterion } from '../../../shared/schemas/rubric.ts';
import type { Preference } from '../../../shared/schemas/preference.ts';
import { contentWords, rankPreferences } from './text-match.ts';

/**
 * The scripted simulated user, judges and disclosure labeler. Deterministic, offline stand-ins for demos and tests:
 * they read the same facts their prompts carry, and reply in the JSON shapes the engine expects.
 */

function firstClause(text: string): string {
  return (text.split(/[.;]/)[0] ?? '').trim();
}

/** Passive users reveal the single best-matching preference per question; collaborative users volunteer three. */
export function scriptedUserReply(hint: {
  userType: string;
  preferences: Record<string, Preference>;
  assistantMessage: string;
}): string {
  const howMany = hint.userType === 'collaborative' ? 3 : 1;
  const matches = rankPreferences(hint.assistantMessage, hint.preferences).slice(0, howMany);
  if (matches.length === 0) {
    return JSON.stringify({
      thought: 'Nothing in my profile answers that directly.',
      response: 'No strong feelings about that.',
    });
  }
  const response = matches
    .map(({ name }) => {
      const p = hint.preferences[name] as Preference;
      return `About ${name}: ${String(p.value)} — ${firstClause(p.justification)}.`;
    })
    .join(' ');
  return JSON.stringify({ thought: `The question touches on ${matches.map((m) => m.name).join(', ')}.`, response });
}

export function scriptedRubricScore(hint: {
  criterion: Criterion;
  preference: Preference | null;
  response: string;
}): string {
  const response = hint.response.toLowerCase();
  const name = hint.criterion.preference.toLowerCase();
  const value = hint.preference === null ? null : String(hint.preference.value).toLowerCase();
  let score: number;
  let why: string;
  if (response.includes(name)) {
    score = value !== null && response.includes(value) ? 5 : 4;
    why =
      score === 5
        ? 'The answer addresses this preference with the stated value.'
        : 'The answer addresses this preference but not its value.';
  } else {
    const shared = [...contentWords(hint.criterion.description)].filter((w) =>
      contentWords(hint.response).has(w),
    ).length;
    score = shared >= 4 ? 2 : 1;
    why = score === 2 ? 'The answer touches on this only in passing.' : 'The answer does not address this preference.';
  }
  return JSON.stringify({ score, justification: why });
}

export function scriptedCorrectness(hint: {
  answer: string | number;
  options: Record<string, string>;
  response: string;
}): string {
  const response = hint.response.toLowerCase();
  const gold = String(hint.answer).toLowerCase();
  const correct = response.includes(`the answer is ${gold}`) ? 1 : 0;
  return JSON.stringify({
    justification: correct
      ? `The response gives ${String(hint.answer)}.`
      : 'The response does not give the gold answer.',
    correct,
  });
}

export function scriptedDisclosure(hint: {
  preferences: Record<string, Preference>;
  assistantMessage: string;
  userMessage: string;
}): string {
  const asked = rankPreferences(hint.assistantMessage, hint.preferences)
    .slice(0, 3)
    .map((r) => r.name);
  const revealed = Object.entries(hint.preferences)
    .filter(([name]) => hint.userMessage.includes(`About ${name}:`))
    .map(([name, p]) => ({ preference: name, value: String(p.value) }));
  return JSON.stringify({ asked, revealed });
}
