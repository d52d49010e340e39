import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import { LibraryPersonaSchema, type LibraryPersona } from '../../shared/schemas/persona.ts';
import { describeError } from '../../shared/errors.ts';

/** One or more persona files are invalid; start-up stops with this message (file, JSON path, what is wrong). */
export class PersonaLibraryError extends Error {
  constructor(readonly problems: string[]) {
    super(`persona library is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'PersonaLibraryError';
  }
}

/**
 * The reference derives persona ids as `lastname_md5("name_description")[:8]`. We keep that, with the last name
 * reduced to ASCII letters so ids are safe in file names and URLs.
 */
export function personaIdFor(name: string, description: string): string {
  const last = (name.trim().split(/\s+/).pop() ?? '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^a-z]/g, '');
  const hash = createHash('md5').update(`${name}_${description}`).digest('hex').slice(0, 8);
  return `${last}_${hash}`;
}

/**
 * Loads and validates every `*.json` file in the persona directory. Every problem in every file is collected before
 * failing, so one run shows all that needs fixing.
 */
export async function loadPersonaLibrary(dir: string): Promise<LibraryPersona[]> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new PersonaLibraryError([`${dir}: not a directory`]);
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if (error instanceof PersonaLibraryError) throw error;
    throw new PersonaLibraryError([
      `${dir}: cannot read the persona directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  const problems: string[] = [];
  const personas: LibraryPersona[] = [];
  const fileOfId = new Map<string, string>();
  for (const name of names) {
    const file = join(dir, name);
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      problems.push(`${file}: not valid JSON (${describeError(error)})`);
      continue;
    }
    const parsed = LibraryPersonaSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: ${jsonPath(issue.path)}: ${issue.message}`);
      continue;
    }
    const persona = parsed.data;
    if (`${persona.id}.json` !== name) problems.push(`${file}: $.id: "${persona.id}" does not match the file name`);
    const expected = personaIdFor(persona.name, persona.minimal_necessary_description);
    if (persona.id !== expected) {
      problems.push(`${file}: $.id: expected "${expected}" (last name + md5 of "name_minimal_necessary_description")`);
    }
    const other = fileOfId.get(persona.id);
    if (other) problems.push(`${file}: $.id: "${persona.id}" is also used by ${other}`);
    fileOfId.set(persona.id, file);
    personas.push(value as LibraryPersona);
  }
  if (names.length === 0) problems.push(`${dir}: no persona files (*.json)`);
  if (problems.length > 0) throw new PersonaLibraryError(problems);
  return personas;
}
