import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { PersonaLibraryError, loadPersonaLibrary, personaIdFor } from '../../server/services/persona-library.ts';
import { tempDir } from '../support/temp-files.ts';

const LIBRARY = join(PROJECT_ROOT, 'personas');

describe('the shipped persona library', () => {
  it('has at least 30 valid personas whose ids follow the reference formula', async () => {
    const personas = await loadPersonaLibrary(LIBRARY);
    expect(personas.length).toBeGreaterThanOrEqual(30);
    for (const p of personas) expect(p.id).toBe(personaIdFor(p.name, p.minimal_necessary_description));
  });

  it('is diverse: ages across 18–75, distinct occupations and countries, varied learning styles and Big Five', async () => {
    const personas = await loadPersonaLibrary(LIBRARY);
    const ages = personas.map((p) => p.demographics.age);
    expect(Math.min(...ages)).toBeLessThanOrEqual(20);
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(70);
    // Every reference age bracket (18–25 … 66–75) is represented.
    for (const [lo, hi] of [
      [18, 25],
      [26, 35],
      [36, 45],
      [46, 55],
      [56, 65],
      [66, 75],
    ] as const) {
      expect(
        ages.some((a) => a >= lo && a <= hi),
        `age bracket ${lo}-${hi}`,
      ).toBe(true);
    }
    expect(new Set(personas.map((p) => p.demographics.occupation)).size).toBe(personas.length);
    const countries = new Set(personas.map((p) => p.demographics.location.split(',').pop()?.trim()));
    expect(countries.size).toBeGreaterThanOrEqual(15);
    for (const trait of ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] as const) {
      const scores = new Set(personas.map((p) => p.personality_big5[trait].score));
      expect(scores.size, `${trait} scores`).toBeGreaterThanOrEqual(4);
    }
    const modalities = ['visual', 'auditory', 'kinesthetic', 'reading'];
    for (const m of modalities) {
      expect(
        personas.some((p) => p.educational_profile.cognitive_features.learning_style.toLowerCase().includes(m)),
        m,
      ).toBe(true);
    }
  });
});

describe('an invalid persona file stops loading, naming the file and the field', () => {
  function copyLibrary(): string {
    const dir = tempDir();
    cpSync(LIBRARY, dir, { recursive: true });
    return dir;
  }

  it('an age out of range', async () => {
    const dir = copyLibrary();
    const file = join(dir, 'okafor_3b09eb59.json');
    const persona = JSON.parse(readFileSync(file, 'utf8')) as { demographics: { age: number } };
    persona.demographics.age = 12;
    writeFileSync(file, JSON.stringify(persona));
    const error = await loadPersonaLibrary(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonaLibraryError);
    expect((error as PersonaLibraryError).problems).toEqual([
      expect.stringMatching(/okafor_3b09eb59\.json: \$\.demographics\.age: .*18/),
    ]);
  });

  it('broken JSON, a missing field and an id that does not match the file, all in one report', async () => {
    const dir = copyLibrary();
    writeFileSync(join(dir, 'iyer_f373451b.json'), '{ "id": ');
    const file = join(dir, 'volkov_c9e7ff0f.json');
    const persona = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete persona.backstory;
    writeFileSync(file, JSON.stringify(persona));
    const renamed = JSON.parse(readFileSync(join(dir, 'mai_f0a84b9b.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'mai_00000000.json'), JSON.stringify(renamed));
    const error = (await loadPersonaLibrary(dir).catch((e: unknown) => e)) as PersonaLibraryError;
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/iyer_f373451b\.json: not valid JSON/),
        expect.stringMatching(/volkov_c9e7ff0f\.json: \$\.backstory: /),
        expect.stringMatching(/mai_00000000\.json: \$\.id: "mai_f0a84b9b" does not match the file name/),
        expect.stringMatching(/mai_f0a84b9b\.json: \$\.id: "mai_f0a84b9b" is also used by .*mai_00000000\.json/),
      ]),
    );
  });

  it('an edited description without a new id', async () => {
    const dir = copyLibrary();
    const file = join(dir, 'chen_1fbf586b.json');
    const persona = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    persona.minimal_necessary_description = 'Someone else entirely';
    writeFileSync(file, JSON.stringify(persona));
    const error = (await loadPersonaLibrary(dir).catch((e: unknown) => e)) as PersonaLibraryError;
    expect(error.problems).toEqual([expect.stringMatching(/chen_1fbf586b\.json: \$\.id: expected "chen_[0-9a-f]{8}"/)]);
  });
});
