import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { OUR_PROMPTS, type PromptName, type PromptSet, type PromptTemplate } from './prompt-library.ts';
import { GENERATION_PROMPT_ROLE_NAMES, GENERATION_PROMPT_ROLES } from '../generation/generation-prompt-roles.ts';
import { PROMPT_ROLE_NAMES, PROMPT_ROLES, type PromptRoleName } from './prompt-pack-roles.ts';
import { scanPlaceholders } from './prompt-pack-placeholders.ts';

/** The manifest every prompt pack has at its top: `prompts.json` (docs/prompt-packs.md). */
export const MANIFEST_FILE = 'prompts.json';

const ManifestSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'a name of letters, digits, ".", "_" and "-", at most 80 characters'),
  description: z.string().optional(),
  prompts: z.record(
    z.string(),
    z.strictObject({
      file: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file name in the pack folder (no folders, no leading dot)'),
      placeholders: z.array(z.string()),
    }),
  ),
});

/** A pack that cannot be used, with every problem found (each names its file); nothing runs with it. */
export class PromptPackError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: string[],
  ) {
    super(`prompt pack ${dir} cannot be used:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'PromptPackError';
  }
}

function readManifest(dir: string, problems: string[]): z.infer<typeof ManifestSchema> | null {
  const path = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? `not JSON: ${error.message}` : 'cannot be read';
    problems.push(`${path}: ${why}`);
    return null;
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${path}: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    return null;
  }
  return parsed.data;
}

/** Every role a pack may fill: the engine's (`run`, `prompts show`) and the generator's (`generate`). */
const ALL_ROLES: Readonly<Record<string, { placeholders: readonly string[]; required: readonly string[] }>> = {
  ...PROMPT_ROLES,
  ...GENERATION_PROMPT_ROLES,
};
const ALL_ROLE_NAMES: readonly string[] = [...PROMPT_ROLE_NAMES, ...GENERATION_PROMPT_ROLE_NAMES];

/** A pack's files, read and checked, for every role it names: what each command takes its own roles from. */
export interface PackFiles {
  name: string;
  sha256: string;
  /** Role → the file's name in provenance (`<pack name>/<file>`), its text and the text's SHA-256. */
  files: ReadonlyMap<string, { file: string; text: string; sha256: string }>;
}

/** One role's file: read, its placeholders checked against the role's and against what the manifest declares. */
function readRoleFile(
  dir: string,
  role: string,
  entry: { file: string; placeholders: string[] },
  problems: string[],
): { text: string; sha256: string } | null {
  const path = join(dir, entry.file);
  let text: string;
  try {
    // As our own files: trailing newlines are not part of the prompt.
    text = readFileSync(path, 'utf8').replace(/\n+$/, '');
  } catch {
    problems.push(`${path}: cannot be read (role ${role})`);
    return null;
  }
  if (text.trim() === '') problems.push(`${path}: is empty (role ${role})`);
  const scan = scanPlaceholders(text);
  for (const p of scan.problems) problems.push(`${path}: ${p}`);
  const known: readonly string[] = ALL_ROLES[role]?.placeholders ?? [];
  const offered = known.length > 0 ? known.map((k) => `{${k}}`).join(', ') : 'none';
  for (const name of scan.names)
    if (!known.includes(name))
      problems.push(`${path}: unknown placeholder {${name}} for role ${role} (its placeholders: ${offered})`);
  for (const name of ALL_ROLES[role]?.required ?? [])
    if (!scan.names.has(name)) problems.push(`${path}: role ${role} needs the placeholder {${name}}, which is missing`);
  const declared = new Set(entry.placeholders);
  for (const name of declared)
    if (!scan.names.has(name)) problems.push(`${path}: the manifest declares {${name}}, but the file does not use it`);
  for (const name of scan.names)
    if (!declared.has(name) && known.includes(name))
      problems.push(`${path}: uses {${name}}, which the manifest does not declare for role ${role}`);
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

/**
 * The pack's hash: SHA-256 of its name and, role by role in alphabetical order, the SHA-256 of each file's text. It
 * changes when any prompt's text changes, and not when a file is renamed or the manifest is reformatted.
 */
export function packSha256(name: string, files: Record<string, string>): string {
  const lines = Object.keys(files)
    .sort()
    .map((role) => `${role}\t${files[role]}`);
  return createHash('sha256')
    .update([name, ...lines].join('\n'))
    .digest('hex');
}

/**
 * Reads and checks a whole prompt pack (docs/prompt-packs.md), the roles of every command. Every problem is collected,
 * each naming its file, and thrown as one PromptPackError: a pack is used whole or not at all.
 */
export function readPromptPack(folder: string): PackFiles {
  const dir = resolve(folder);
  const problems: string[] = [];
  const manifest = readManifest(dir, problems);
  if (!manifest) throw new PromptPackError(dir, problems);
  const manifestPath = join(dir, MANIFEST_FILE);
  const entries = Object.entries(manifest.prompts);
  if (entries.length === 0) problems.push(`${manifestPath}: "prompts" names no role`);
  const files = new Map<string, { file: string; text: string; sha256: string }>();
  for (const [role, entry] of entries) {
    if (!Object.hasOwn(ALL_ROLES, role)) {
      problems.push(`${manifestPath}: unknown role "${role}" (the roles: ${ALL_ROLE_NAMES.join(', ')})`);
      continue;
    }
    const read = readRoleFile(dir, role, entry, problems);
    if (read) files.set(role, { file: `${manifest.name}/${entry.file}`, ...read });
  }
  if (problems.length > 0) throw new PromptPackError(dir, problems);
  const hashes = Object.fromEntries([...files].map(([role, f]) => [role, f.sha256]));
  return { name: manifest.name, sha256: packSha256(manifest.name, hashes), files };
}

/**
 * The engine's prompts from a pack: the roles it names replace ours; the roles it leaves out keep ours, so a pack can
 * change only the judges, and the disclosure labeler (ours alone) needs no counterpart.
 */
export function loadPromptPack(folder: string): PromptSet {
  const pack = readPromptPack(folder);
  const templates: Record<PromptName, PromptTemplate> = { ...OUR_PROMPTS.templates };
  for (const role of PROMPT_ROLE_NAMES) {
    const f = pack.files.get(role);
    const prompt = PROMPT_ROLES[role].prompt;
    if (f) templates[prompt] = { name: prompt, ...f };
  }
  return { pack: { name: pack.name, sha256: pack.sha256 }, templates };
}

/** The roles a set takes from its pack (the others are ours), for the note printed when a run starts. */
export function packRoles(set: PromptSet): PromptRoleName[] {
  return PROMPT_ROLE_NAMES.filter(
    (role) => set.templates[PROMPT_ROLES[role].prompt] !== OUR_PROMPTS.templates[PROMPT_ROLES[role].prompt],
  );
}
