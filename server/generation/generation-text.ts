import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import type { LibraryPersona, Persona } from '../../shared/schemas/persona.ts';
import type { NormalizedProblem } from '../../shared/schemas/problem.ts';

/**
 * How problems and personas are written into generation prompts. Problems go through the evaluator's own
 * normalisation, so the generator sees the question and options exactly as the assistant will, for every source shape.
 * Two quirks of the reference generator are deliberately not reproduced here: SocialIQA's options
 * (answerA–C) are shown like every other task's, and the gold letter comes from `normalizeProblem`, which handles any
 * option index (the reference's LogiQA prompt indexed "ABC" and so dropped every problem whose answer is D).
 */

type Loose = Record<string, unknown>;

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null ? (source as Loose)[key] : undefined;
}

function text(value: unknown, missing = 'not specified'): string {
  if (value === undefined || value === null || value === '') return missing;
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(', ') : missing;
  return String(value);
}

export function problemView(original: Record<string, unknown>): NormalizedProblem {
  return normalizeProblem({ original_problem: original });
}

/** The question followed by its options, one "A. text" per line. */
export function problemText(original: Record<string, unknown>): string {
  const p = problemView(original);
  const options = Object.entries(p.options).map(([label, option]) => `${label}. ${option}`);
  return options.length > 0 ? `${p.question}\n\nOptions:\n${options.join('\n')}` : p.question;
}

/** The gold answer with its option text when there is one, cut to `max` characters as the reference's rubric prompt does. */
export function answerText(original: Record<string, unknown>, max = 200): string {
  const p = problemView(original);
  const gold = String(p.answer);
  const option = p.options[gold];
  const full = option === undefined ? gold : `${gold}. ${option}`;
  return full.length > max ? `${full.slice(0, max)}…` : full;
}

function big5(persona: Persona): string[] {
  return ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'].map((trait) => {
    const t = field(persona.personality_big5, trait);
    return `${trait[0]?.toUpperCase()}${trait.slice(1)}: ${text(field(t, 'score'), '?')}/5, ${text(field(t, 'description'))}`;
  });
}

/** The whole persona (no preferences), for the dimension-proposal prompt. */
export function personaProfileText(persona: Persona): string {
  const d = persona.demographics;
  const e = persona.educational_profile;
  const cog = field(e, 'cognitive_features');
  const aff = field(e, 'affective_features');
  const meta = field(e, 'metacognitive_features');
  return [
    'PERSONA PROFILE:',
    `Name: ${text(persona.name)}`,
    `Summary: ${text(persona.minimal_necessary_description)}`,
    `Age: ${text(field(d, 'age'), '?')}, occupation: ${text(field(d, 'occupation'))}`,
    `Location: ${text(field(d, 'location'))}; family: ${text(field(d, 'family_context'))}`,
    `Hobbies: ${text(field(d, 'hobbies'))}`,
    `Domain expertise: ${text(persona.domain_expertise)}`,
    '',
    'LEARNING PROFILE:',
    `Knowledge level: ${text(field(e, 'knowledge_level'))}`,
    `Common errors: ${text(field(e, 'common_errors'))}`,
    ...['learning_style', 'attention_span', 'memory_strengths', 'problem_solving', 'collaboration'].map(
      (k) => `${k.replace(/_/g, ' ')}: ${text(field(cog, k))}`,
    ),
    ...['confidence', 'anxiety_triggers', 'motivation', 'challenge_attitude'].map(
      (k) => `${k.replace(/_/g, ' ')}: ${text(field(aff, k))}`,
    ),
    ...['self_awareness', 'self_regulation', 'reflection', 'self_assessment'].map(
      (k) => `${k.replace(/_/g, ' ')}: ${text(field(meta, k))}`,
    ),
    '',
    'PERSONALITY (Big Five):',
    ...big5(persona),
    '',
    'BACKSTORY:',
    text(persona.backstory),
  ].join('\n');
}

/** The shorter summary the instantiation step gets, as in the reference. */
export function personaSummaryText(persona: Persona): string {
  const d = persona.demographics;
  const e = persona.educational_profile;
  return [
    'PERSONA:',
    `Name: ${text(persona.name)}`,
    `Background: ${text(persona.minimal_necessary_description)} (${text(field(d, 'age'), '?')}, ${text(field(d, 'occupation'))})`,
    `Learning style: ${text(field(field(e, 'cognitive_features'), 'learning_style'))}`,
    `Problem solving: ${text(field(field(e, 'cognitive_features'), 'problem_solving'))}`,
    `Confidence: ${text(field(field(e, 'affective_features'), 'confidence'))}`,
    ...big5(persona),
    `Domain expertise: ${text(persona.domain_expertise)}`,
  ].join('\n');
}

/** Name, summary and the start of the backstory, as the reference's rubric prompt shows the persona. */
export function personaBriefText(persona: Persona): string {
  const backstory = text(persona.backstory, '');
  return `${text(persona.name)}, ${text(persona.minimal_necessary_description)}. ${backstory.length > 150 ? `${backstory.slice(0, 150)}…` : backstory}`.trim();
}

/**
 * A library persona as a record's persona. It is the same object; the cast is needed only because the record schema
 * types `personality_big5` as an open record while the library schema names the five traits.
 */
export function asRecordPersona(persona: LibraryPersona): Persona {
  return persona as unknown as Persona;
}
