import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url));

/**
 * The prompt versions in use. A new wording is a new file and a new entry here (see prompts/README.md); older files stay
 * in the folder so the hashes stored with earlier episodes can still be matched to their text. The `.v2` user and
 * judge files differ from `.v1` only in how conversation text is enclosed (untrusted-text.ts). The current set carries
 * the reference's instructions one by one, no more and no less; docs/prompt-contract.md pairs each reference
 * instruction with our sentence and lists the deliberate differences, and tests/unit/prompt-contract.test.ts pins it.
 */
export const PROMPT_FILES = {
  discoverySystem: 'discovery-system.v2.txt',
  fixedQuestionsSystem: 'fixed-questions-system.v2.txt',
  oracleSystem: 'oracle-system.v2.txt',
  finalPrompt: 'final-prompt.v2.txt',
  userPassive: 'user-passive.v3.txt',
  userPassiveNostop: 'user-passive-nostop.v3.txt',
  userCollaborative: 'user-collaborative.v3.txt',
  rubricJudgeSystem: 'rubric-judge-system.v2.txt',
  rubricJudgeUser: 'rubric-judge-user.v3.txt',
  correctnessJudgeSystem: 'correctness-judge-system.v1.txt',
  correctnessJudgeUser: 'correctness-judge-user.v3.txt',
  disclosureLabeler: 'disclosure-labeler.v2.txt',
} as const;

export type PromptName = keyof typeof PROMPT_FILES;

export interface PromptTemplate {
  name: PromptName;
  /** The file name; for a prompt pack's file, `<pack name>/<file>`, so provenance never confuses it with ours. */
  file: string;
  text: string;
  /** SHA-256 of the file's text; stored with every episode that used it. */
  sha256: string;
}

/**
 * The prompts an episode is asked with: ours, or a researcher's prompt pack (prompt-pack.ts) with ours for the roles
 * it leaves out. Carried by the episode spec, so batch and live episodes render from the same set they record.
 */
export interface PromptSet {
  /** The pack's name and hash (docs/prompt-packs.md); null for our own prompts. */
  readonly pack: { readonly name: string; readonly sha256: string } | null;
  readonly templates: Readonly<Record<PromptName, PromptTemplate>>;
}

/** A prompt file's text as sent (trailing newlines dropped) and its SHA-256: shared by every prompt set. */
export function readPromptFile(dir: string, file: string): { text: string; sha256: string } {
  const text = readFileSync(join(dir, file), 'utf8').replace(/\n+$/, '');
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

function load(name: PromptName): PromptTemplate {
  const file = PROMPT_FILES[name];
  return { name, file, ...readPromptFile(PROMPTS_DIR, file) };
}

export const PROMPTS: Readonly<Record<PromptName, PromptTemplate>> = Object.fromEntries(
  (Object.keys(PROMPT_FILES) as PromptName[]).map((name) => [name, load(name)]),
) as Record<PromptName, PromptTemplate>;

export const OUR_PROMPTS: PromptSet = { pack: null, templates: PROMPTS };

/** Hashes of every prompt of a set, keyed by file name: the provenance record for an episode. */
export function promptHashes(set: PromptSet = OUR_PROMPTS): Record<string, string> {
  return Object.fromEntries(Object.values(set.templates).map((p) => [p.file, p.sha256]));
}

/**
 * Fills `{name}` placeholders in a template read from `file`. `{{` and `}}` are literal braces. A placeholder without
 * a value is a bug and throws, so a prompt can never go out with a hole in it.
 */
export function fillPlaceholders(
  text: string,
  file: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return text.replace(/\{\{|\}\}|\{([a-z_]+)\}/g, (match, key: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = key === undefined ? undefined : values[key];
    if (value === undefined) throw new Error(`prompt ${file}: no value for {${key}}`);
    return String(value);
  });
}

export function renderPrompt(
  name: PromptName,
  values: Readonly<Record<string, string | number>> = {},
  set: PromptSet = OUR_PROMPTS,
): string {
  const template = set.templates[name];
  return fillPlaceholders(template.text, template.file, values);
}
