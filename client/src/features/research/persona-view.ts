import { BIG_FIVE_TRAITS, type Persona } from '../../../../shared/schemas/persona.ts';

/**
 * Reads the display fields out of a record's persona. Record personas come from LLM output and only `id` and
 * `name` are guaranteed, so every other field is looked up defensively and may be missing.
 */

export interface BigFiveEntry {
  trait: string;
  score: number;
  description: string;
}

export interface PersonaView {
  name: string;
  summary: string | null;
  age: number | null;
  occupation: string | null;
  location: string | null;
  learningStyle: string | null;
  confidence: string | null;
  knowledgeLevel: string | null;
  expertise: string[];
  bigFive: BigFiveEntry[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The non-empty string at `path`, or null. */
function textAt(root: unknown, ...path: string[]): string | null {
  let value = root;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

export function personaView(persona: Persona): PersonaView {
  const big5 = persona.personality_big5 ?? {};
  // The five canonical traits first in their usual order, then anything extra the generator added.
  const traits = [
    ...BIG_FIVE_TRAITS.filter((t) => t in big5),
    ...Object.keys(big5).filter((t) => !BIG_FIVE_TRAITS.some((b) => b === t)),
  ];
  return {
    name: persona.name,
    summary: textAt(persona, 'minimal_necessary_description'),
    age: typeof persona.demographics?.age === 'number' ? persona.demographics.age : null,
    occupation: textAt(persona, 'demographics', 'occupation'),
    location: textAt(persona, 'demographics', 'location'),
    learningStyle: textAt(persona, 'educational_profile', 'cognitive_features', 'learning_style'),
    confidence: textAt(persona, 'educational_profile', 'affective_features', 'confidence'),
    knowledgeLevel: textAt(persona, 'educational_profile', 'knowledge_level'),
    expertise: persona.domain_expertise ?? [],
    bigFive: traits.flatMap((trait) => {
      const entry = big5[trait];
      return entry ? [{ trait, score: entry.score, description: entry.description }] : [];
    }),
  };
}
