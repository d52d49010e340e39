import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { pythonRepr } from './python-repr.ts';

type Loose = Record<string, unknown>;

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null ? (source as Loose)[key] : undefined;
}

function text(value: unknown, missing: string): string {
  if (value === undefined || value === null || value === '') return missing;
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(', ') : missing;
  return String(value);
}

function trait(big5: unknown, name: string): string {
  return text(field(field(big5, name), 'description'), 'Not specified');
}

/**
 * The persona profile string the oracle's system prompt and the simulated user both receive, in the reference's field
 * order. Only the Big Five descriptions appear (not scores), agreeableness and neuroticism are left out, and the
 * preferences are the Python repr of the whole `persona_preferences` dict under the reference's misspelt heading
 * "PREFERECES:" — all kept on purpose, because scores depend on what the model and simulator see.
 */
export function personaProfile(record: Pick<BenchmarkRecord, 'persona' | 'persona_preferences'>): string {
  const p = record.persona;
  const demo = p.demographics;
  const edu = p.educational_profile;
  const cognitive = field(edu, 'cognitive_features');
  const affective = field(edu, 'affective_features');
  return [
    'PERSONA PROFILE:',
    `Name: ${text(p.name, 'Unknown')}`,
    `Summary: ${text(p.minimal_necessary_description, 'Not specified')}`,
    `Age: ${text(field(demo, 'age'), '?')}, Occupation: ${text(field(demo, 'occupation'), 'Unknown')}`,
    `Location: ${text(field(demo, 'location'), 'Unknown')}`,
    `Hobbies: ${text(field(demo, 'hobbies'), 'Not specified')}`,
    `Domain expertise: ${text(p.domain_expertise, 'Not specified')}`,
    '',
    'LEARNING PROFILE:',
    `Knowledge level: ${text(field(edu, 'knowledge_level'), 'Not specified')}`,
    `Learning style: ${text(field(cognitive, 'learning_style'), 'Not specified')}`,
    `Problem-solving: ${text(field(cognitive, 'problem_solving'), 'Not specified')}`,
    `Confidence: ${text(field(affective, 'confidence'), 'Not specified')}`,
    `Anxiety triggers: ${text(field(affective, 'anxiety_triggers'), 'Not specified')}`,
    `Motivation: ${text(field(affective, 'motivation'), 'Not specified')}`,
    '',
    'PERSONALITY:',
    `Openness: ${trait(p.personality_big5, 'openness')}`,
    `Conscientiousness: ${trait(p.personality_big5, 'conscientiousness')}`,
    `Social style: ${trait(p.personality_big5, 'extraversion')}`,
    '',
    'BACKSTORY:',
    text(p.backstory, 'Not specified'),
    '',
    'PREFERECES:',
    pythonRepr(record.persona_preferences),
  ].join('\n');
}
