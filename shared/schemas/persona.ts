import { z } from 'zod';

/**
 * Persona shapes from the reference generator.
 *
 * Two strengths of the same shape:
 * - `PersonaSchema` is what a benchmark record may carry. The reference fills personas by LLM and never validated
 *   most fields, so only `id` and `name` are required; every present field must still have the right type.
 * - `LibraryPersonaSchema` is what our own persona library must satisfy: every field present and in range.
 * Both keep unknown keys (LLM output often adds some) so files round-trip unchanged.
 */

export const BIG_FIVE_TRAITS = [
  'openness',
  'conscientiousness',
  'extraversion',
  'agreeableness',
  'neuroticism',
] as const;

const text = z.string().min(1);

export const BigFiveTraitSchema = z.looseObject({
  score: z.number().min(1).max(5),
  description: z.string(),
});

const loosePersonaFields = {
  id: text,
  name: text,
  minimal_necessary_description: z.string().optional(),
  demographics: z
    .looseObject({
      age: z.number().optional(),
      occupation: z.string().optional(),
      location: z.string().optional(),
      family_context: z.string().optional(),
      hobbies: z.array(z.string()).optional(),
    })
    .optional(),
  educational_profile: z
    .looseObject({
      knowledge_level: z.string().optional(),
      common_errors: z.string().optional(),
      cognitive_features: z.record(z.string(), z.unknown()).optional(),
      affective_features: z.record(z.string(), z.unknown()).optional(),
      metacognitive_features: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  personality_big5: z.record(z.string(), BigFiveTraitSchema).optional(),
  backstory: z.string().optional(),
  domain_expertise: z.array(z.string()).optional(),
  usage_count: z.number().int().min(0).optional(),
};

export const PersonaSchema = z.looseObject(loosePersonaFields);
export type Persona = z.infer<typeof PersonaSchema>;

const LibraryTraitSchema = z.looseObject({ score: z.number().int().min(1).max(5), description: text });

export const LibraryPersonaSchema = z.looseObject({
  id: z.string().regex(/^[a-z]+_[0-9a-f]{8}$/, 'must be "<lastname>_<8 hex digits>"'),
  name: z.string().refine((n) => n.trim().split(/\s+/).length >= 2, 'must have at least two words'),
  minimal_necessary_description: text,
  demographics: z.looseObject({
    age: z.number().int().min(18).max(75),
    occupation: text,
    location: text,
    family_context: text,
    hobbies: z.array(text).min(2).max(3),
  }),
  educational_profile: z.looseObject({
    knowledge_level: text,
    common_errors: text,
    cognitive_features: z.looseObject({
      learning_style: text,
      attention_span: text,
      memory_strengths: text,
      problem_solving: text,
      collaboration: text,
    }),
    affective_features: z.looseObject({
      confidence: text,
      anxiety_triggers: text,
      motivation: text,
      challenge_attitude: text,
    }),
    metacognitive_features: z.looseObject({
      self_awareness: text,
      self_regulation: text,
      reflection: text,
      self_assessment: text,
    }),
  }),
  personality_big5: z.looseObject({
    openness: LibraryTraitSchema,
    conscientiousness: LibraryTraitSchema,
    extraversion: LibraryTraitSchema,
    agreeableness: LibraryTraitSchema,
    neuroticism: LibraryTraitSchema,
  }),
  backstory: text,
  domain_expertise: z.array(text).min(2).max(3),
  usage_count: z.number().int().min(0).optional(),
});
export type LibraryPersona = z.infer<typeof LibraryPersonaSchema>;
