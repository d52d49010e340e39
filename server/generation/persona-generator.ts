import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LibraryPersonaSchema, type LibraryPersona } from '../../shared/schemas/persona.ts';
import type { Rng } from '../../shared/stats/random.ts';
import { loadPersonaLibrary, personaIdFor } from '../services/persona-library.ts';
import { generateJson, type GenerationContext } from './generation-call.ts';
import { StepFailure } from './generation-errors.ts';
import { diversityGuidance, planDiversity, recentLines } from './persona-diversity.ts';

/** The reference's persona key order, so generated files read like the hand-written ones. */
const KEY_ORDER = [
  'id',
  'name',
  'minimal_necessary_description',
  'demographics',
  'educational_profile',
  'personality_big5',
  'backstory',
  'domain_expertise',
];

function ordered(persona: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (key in persona) out[key] = persona[key];
  for (const [key, value] of Object.entries(persona)) if (!(key in out) && key !== 'usage_count') out[key] = value;
  out.usage_count = 0;
  return out;
}

/**
 * A generated persona must pass everything the library demands (LibraryPersonaSchema: age 18–75, a name of at least
 * two words, every field present) and must not repeat a library name or id. The id is ours to compute
 * (lastname_md5(name_description)[:8], as the existing personas).
 */
export function personaReplySchema(library: LibraryPersona[]) {
  const names = new Set(library.map((p) => p.name.trim().toLowerCase()));
  const ids = new Set(library.map((p) => p.id));
  return z
    .looseObject({ name: z.string().trim().min(1), minimal_necessary_description: z.string().trim().min(1) })
    .transform((p) => ordered({ ...p, id: personaIdFor(p.name, p.minimal_necessary_description) }))
    .pipe(LibraryPersonaSchema)
    .superRefine((p, ctx) => {
      if (names.has(p.name.trim().toLowerCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: `"${p.name}" is already in the library; invent a different person`,
        });
      else if (ids.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['name'], message: `the id "${p.id}" is already taken` });
    });
}

const CoherenceSchema = z.looseObject({
  coherent: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
  issues: z.array(z.string()).default([]),
});

/**
 * One new persona: prompt with the diversity pressure, validate, then ask the model whether the persona is coherent;
 * an incoherent persona is thrown away and a new one asked for, `maxTries` times in all. Unlike the reference we do
 * not fall back to a placeholder "Fallback User" persona: nothing invented by default enters the library, and the
 * failure is reported.
 */
export async function generatePersona(
  ctx: GenerationContext,
  library: LibraryPersona[],
  rng: Rng,
): Promise<LibraryPersona> {
  const rejected: string[] = [];
  for (let attempt = 1; attempt <= ctx.maxTries; attempt++) {
    const plan = planDiversity(library, rng);
    const persona = (await generateJson(ctx, {
      stage: 'persona',
      purpose: 'persona_generation',
      prompt: 'personaGeneration',
      values: {
        diversity_guidance: diversityGuidance(plan),
        recent_personas: recentLines(library),
        avoid_names: plan.avoidNames.join('; ') || '(none)',
        avoid_locations: plan.avoidLocations.join('; ') || '(none)',
      },
      schema: personaReplySchema(library),
      hint: {
        attempt,
        libraryCount: library.length,
        occupation: plan.occupation,
        ageBracket: plan.ageBracket,
        avoidNames: plan.avoidNames,
        avoidLocations: plan.avoidLocations,
      },
    })) as LibraryPersona;
    const verdict = await generateJson(ctx, {
      stage: 'persona_coherence',
      purpose: 'persona_coherence_check',
      prompt: 'personaCoherence',
      values: { persona_json: JSON.stringify(persona, null, 2) },
      schema: CoherenceSchema,
      hint: { persona },
    });
    if (verdict.coherent) return persona;
    rejected.push(
      `attempt ${attempt}: ${persona.name} judged incoherent: ${verdict.issues.join('; ') || 'no reason given'}`,
    );
  }
  throw new StepFailure('persona_coherence', `no coherent persona after ${ctx.maxTries} tries`, rejected);
}

/** The library directory's personas; a directory that does not exist yet or has no files is an empty library. */
export async function readLibraryOrEmpty(dir: string): Promise<LibraryPersona[]> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  return files.length === 0 ? [] : loadPersonaLibrary(dir);
}

/** Writes a persona as `<dir>/<id>.json`; never overwrites (a file with that id means the persona is already there). */
export async function savePersona(dir: string, persona: LibraryPersona): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${persona.id}.json`), `${JSON.stringify(persona, null, 2)}\n`, { flag: 'wx' });
}
