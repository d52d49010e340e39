import { t } from '../../i18n/index.ts';

/**
 * Reads what a participant page shows of a persona. Personas come from LLM output (only `id` and `name` are
 * guaranteed) and a rater's copy is an untyped allow-listed record, so every field is looked up defensively.
 */

export interface PersonaFacts {
  name: string;
  summary: string | null;
  facts: [label: string, value: string][];
  backstory: string | null;
  expertise: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function textAt(root: unknown, ...path: string[]): string | null {
  let value = root;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

// Labels are catalog keys (facts.*), read in the participant's language when the facts are built.
const FACTS = [
  ['age', ['demographics', 'age']],
  ['occupation', ['demographics', 'occupation']],
  ['location', ['demographics', 'location']],
  ['family', ['demographics', 'family_context']],
  ['knowledge', ['educational_profile', 'knowledge_level']],
  ['learningStyle', ['educational_profile', 'cognitive_features', 'learning_style']],
  ['confidence', ['educational_profile', 'affective_features', 'confidence']],
  ['anxiousAbout', ['educational_profile', 'affective_features', 'anxiety_triggers']],
] as const;

export function personaFacts(persona: Record<string, unknown>): PersonaFacts {
  const expertise = persona.domain_expertise;
  return {
    name: textAt(persona, 'name') ?? t('facts.unnamed'),
    summary: textAt(persona, 'minimal_necessary_description'),
    facts: FACTS.flatMap(([label, path]): [string, string][] => {
      const value = textAt(persona, ...path);
      return value === null ? [] : [[t(`facts.${label}`), value]];
    }),
    backstory: textAt(persona, 'backstory'),
    expertise: Array.isArray(expertise) ? expertise.filter((e): e is string => typeof e === 'string') : [],
  };
}

export interface PreferenceView {
  name: string;
  value: string;
  importance: number | null;
  description: string | null;
  why: string | null;
}

/** Hidden preferences, most important first (the ones a persona actor must get right). */
export function preferenceViews(preferences: Record<string, Record<string, unknown>>): PreferenceView[] {
  return Object.entries(preferences)
    .map(([name, p]) => {
      const importance = typeof p.local_importance === 'number' ? p.local_importance : null;
      return {
        name,
        value: textAt(p, 'value') ?? '—',
        importance,
        description: textAt(p, 'description'),
        why: textAt(p, 'justification'),
      };
    })
    .sort((a, b) => (b.importance ?? 0) - (a.importance ?? 0));
}
