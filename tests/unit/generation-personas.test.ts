import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { LibraryPersonaSchema } from '../../shared/schemas/persona.ts';
import type { GenerationContext } from '../../server/generation/generation-call.ts';
import { StepFailure } from '../../server/generation/generation-errors.ts';
import {
  AGE_BRACKETS,
  diversityGuidance,
  leastRepresentedBracket,
  OCCUPATION_SUGGESTIONS,
  planDiversity,
  unusedOccupation,
} from '../../server/generation/persona-diversity.ts';
import {
  generatePersona,
  personaReplySchema,
  readLibraryOrEmpty,
  savePersona,
} from '../../server/generation/persona-generator.ts';
import { rngFor } from '../../server/generation/seeded.ts';
import type { ModelProvider } from '../../server/models/model-provider.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { loadPersonaLibrary, personaIdFor } from '../../server/services/persona-library.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
const shipped = readdirSync(join(PROJECT_ROOT, 'personas'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(PROJECT_ROOT, 'personas', f), 'utf8')) as LibraryPersona);

function context(provider: ModelProvider, maxTries = 3): GenerationContext {
  return { provider, maxTries, temperature: 0.7, signal: new AbortController().signal };
}

describe('diversity pressure', () => {
  it('suggests the least-represented age bracket and an occupation nobody has yet', () => {
    const young = shipped.map((p) => ({ ...p, demographics: { ...p.demographics, age: 20 } }));
    const bracket = leastRepresentedBracket(young.slice(0, 5), rngFor(1, 'b'));
    expect(bracket).not.toEqual([18, 25]);
    expect(AGE_BRACKETS).toContainEqual(bracket);
    const used = [
      {
        ...(shipped[0] as LibraryPersona),
        demographics: {
          ...(shipped[0] as LibraryPersona).demographics,
          occupation: OCCUPATION_SUGGESTIONS[0] as string,
        },
      },
    ];
    for (let s = 0; s < 30; s++) expect(unusedOccupation(used, rngFor(s, 'o'))).not.toBe(OCCUPATION_SUGGESTIONS[0]);
  });

  it('about 70% of prompts suggest; the rest show three library personas; both list recent names and places to avoid', () => {
    const plans = Array.from({ length: 200 }, (_, s) => planDiversity(shipped, rngFor(s, 'p')));
    const share = plans.filter((p) => p.kind === 'suggestion').length / plans.length;
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.8);
    const examples = plans.find((p) => p.kind === 'examples');
    expect(examples?.examples).toHaveLength(3);
    expect(diversityGuidance(examples as NonNullable<typeof examples>)).not.toContain('"id"');
    expect(plans[0]?.avoidNames).toEqual(shipped.slice(-5).map((p) => p.name));
    expect(planDiversity([], rngFor(1, 'x')).kind).toBe('suggestion');
  });
});

describe('persona generation', () => {
  it('the scripted model makes a library-valid persona with the reference id formula, unlike the library', async () => {
    const persona = await generatePersona(
      context(new ScriptedProvider(SCRIPTED_MODEL)),
      shipped,
      rngFor(3, 'persona:0'),
    );
    expect(LibraryPersonaSchema.safeParse(persona).success).toBe(true);
    expect(persona.id).toBe(personaIdFor(persona.name, persona.minimal_necessary_description));
    expect(shipped.map((p) => p.name)).not.toContain(persona.name);
    expect(Object.keys(persona)[0]).toBe('id');
    expect(persona.usage_count).toBe(0);
  });

  it('rejects an age out of range, a one-word name or a name already in the library', () => {
    const base = JSON.parse(JSON.stringify(shipped[0])) as Record<string, unknown>;
    const schema = personaReplySchema(shipped);
    const messages = (value: unknown): string[] => schema.safeParse(value).error?.issues.map((i) => i.message) ?? [];
    expect(messages(base)).toContain(`"${String(base.name)}" is already in the library; invent a different person`);
    expect(messages({ ...base, name: 'Cher' }).join(' ')).toContain('at least two words');
    expect(
      messages({ ...base, name: 'New Person', demographics: { ...(base.demographics as object), age: 80 } }).join(' '),
    ).toContain('75');
    expect(schema.safeParse({ ...base, name: 'New Person' }).success).toBe(true);
  });

  it('an incoherent persona is thrown away and another asked for; after maxTries the failure lists why', async () => {
    const good = JSON.stringify({ ...shipped[0], id: undefined, name: 'Brand New Person' });
    let coherence = 0;
    const provider = new RecordingProvider((r) => {
      if (r.purpose === 'persona_generation') return good;
      coherence += 1;
      return coherence === 1
        ? '{"coherent": false, "issues": ["a 52-year-old cannot have left school in 2020"]}'
        : '{"coherent": true, "issues": []}';
    });
    const persona = await generatePersona(context(provider), shipped.slice(1), rngFor(1, 'p'));
    expect(persona.name).toBe('Brand New Person');
    expect(provider.requests.map((r) => r.purpose)).toEqual([
      'persona_generation',
      'persona_coherence_check',
      'persona_generation',
      'persona_coherence_check',
    ]);

    const never = new RecordingProvider((r) =>
      r.purpose === 'persona_generation' ? good : '{"coherent": false, "issues": ["contradiction"]}',
    );
    const error = await generatePersona(context(never, 2), shipped.slice(1), rngFor(1, 'p')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as StepFailure).issues).toEqual([
      'attempt 1: Brand New Person judged incoherent: contradiction',
      'attempt 2: Brand New Person judged incoherent: contradiction',
    ]);
  });

  it('saves into the library directory without overwriting, and the library still loads', async () => {
    const lib = join(dir, 'lib');
    expect(await readLibraryOrEmpty(lib)).toEqual([]);
    const persona = await generatePersona(context(new ScriptedProvider(SCRIPTED_MODEL)), [], rngFor(9, 'p'));
    await savePersona(lib, persona);
    expect(existsSync(join(lib, `${persona.id}.json`))).toBe(true);
    await expect(savePersona(lib, persona)).rejects.toThrow(/EEXIST/);
    expect((await loadPersonaLibrary(lib)).map((p) => p.id)).toEqual([persona.id]);
  });
});
