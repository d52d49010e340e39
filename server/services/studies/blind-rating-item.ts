import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import {
  BlindRatingItemSchema,
  type BlindRatingItem,
  type TranscriptTurn,
} from '../../../shared/schemas/live-study.ts';

/**
 * What a rater receives, built field by field from an allow-list (docs/studies-and-ratings.md, "Blinding"). Nothing is
 * copied wholesale from the record or the episode, so a field added to either later cannot leak by default. The
 * model, condition, user type, human-or-simulated, episode and run ids and source timestamps are never inputs here.
 */

export interface BlindItemInput {
  itemId: string;
  record: BenchmarkRecord;
  answer: string;
  transcript: TranscriptTurn[] | null;
  /** Whether this study shows dialogues now: `transcriptsShown`, the same answer for every item of the study. */
  showTranscript: boolean;
}

/**
 * Blinding by shape. Only discovery answers have a dialogue; baseline and oracle answers and gold items have none. If
 * the dialogue were shown wherever one exists, its mere presence (or its length) would tell a rater which condition an
 * answer came from and which items are attention checks. So the choice is made per study, never per item: raters see
 * dialogues only while the study's setting asks for them AND every answer in its queue, gold items included, has one.
 * One answer without a dialogue switches them off for every item. The cost: a study that mixes conditions or uses gold
 * items rates answers on their own, as the judge does (docs/studies-and-ratings.md, "Blinding").
 */
export function transcriptsShown(setting: boolean, candidatesWithoutTranscript: number): boolean {
  return setting && candidatesWithoutTranscript === 0;
}

// Persona fields a rater needs to judge fit. Left out: id and usage_count (bookkeeping), and unknown generator keys.
const PERSONA_FIELDS = [
  'name',
  'minimal_necessary_description',
  'demographics',
  'educational_profile',
  'personality_big5',
  'backstory',
  'domain_expertise',
] as const;
const PREFERENCE_FIELDS = [
  'name',
  'description',
  'value_range',
  'value',
  'local_importance',
  'justification',
  'type',
  'problem_context',
] as const;

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return out;
}

/**
 * Removes the turn protocol from text: the ###ACTION### line (its value tells a question from a final answer, and its
 * presence tells the discovery condition from the others) and every other ###WORD### marker, such as ###RESPONSE###:
 * and the simulated user's ###STOP###.
 */
export function stripMarkers(text: string): string {
  return text
    .replace(/###ACTION###:?[^\n]*\n?/g, '')
    .replace(/###[A-Z_]+###:?/g, '')
    .trim();
}

/** The dialogue as a rater may see it: roles user/assistant and stripped text only; empty turns dropped. */
export function blindTranscript(turns: readonly TranscriptTurn[]): TranscriptTurn[] {
  return turns
    .map((t) => ({
      role: t.role === 'assistant' ? ('assistant' as const) : ('user' as const),
      content: stripMarkers(t.content),
    }))
    .filter((t) => t.content !== '');
}

export function blindRatingItem(input: BlindItemInput): BlindRatingItem {
  const { record } = input;
  const problem = normalizeProblem(record);
  const preferences: Record<string, Record<string, unknown>> = {};
  for (const [key, preference] of Object.entries(record.persona_preferences))
    preferences[key] = pick(preference, PREFERENCE_FIELDS);
  const item: BlindRatingItem = {
    itemId: input.itemId,
    task: { question: problem.question, options: { ...problem.options }, goldAnswer: String(problem.answer) },
    persona: pick(record.persona, PERSONA_FIELDS),
    preferences,
    rubric: record.evaluation_rubric.evaluation_criteria.map((c) => ({
      preference: c.preference,
      description: c.description,
      ...(c.weight === undefined ? {} : { weight: c.weight }),
      levels: c.levels.map((l) => ({ score: l.score, description: l.description })),
    })),
    answer: stripMarkers(input.answer),
    ...(input.showTranscript ? { transcript: blindTranscript(input.transcript ?? []) } : {}),
  };
  // The strict schema is the last gate: an unexpected top-level field fails here instead of reaching a rater.
  return BlindRatingItemSchema.parse(item);
}
