import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url));

/**
 * The prompt versions in use. A new wording is a new file and a new entry here (see prompts/README.md). The `.v2`
 * files differ from `.v1` only in how conversation text is enclosed: between tags whose code the text cannot know, with
 * the instruction to treat it as data (untrusted-text.ts), where `.v1` used `"""` or nothing.
 */
export const PROMPT_FILES = {
  discoverySystem: 'discovery-system.v1.txt',
  fixedQuestionsSystem: 'fixed-questions-system.v1.txt',
  oracleSystem: 'oracle-system.v1.txt',
  finalPrompt: 'final-prompt.v1.txt',
  userPassive: 'user-passive.v2.txt',
  userPassiveNostop: 'user-passive-nostop.v2.txt',
  userCollaborative: 'user-collaborative.v2.txt',
  rubricJudgeSystem: 'rubric-judge-system.v1.txt',
  rubricJudgeUser: 'rubric-judge-user.v2.txt',
  correctnessJudgeSystem: 'correctness-judge-system.v1.txt',
  correctnessJudgeUser: 'correctness-judge-user.v2.txt',
  disclosureLabeler: 'disclosure-labeler.v2.txt',
} as const;

export type PromptName = keyof typeof PROMPT_FILES;

export interface PromptTemplate {
  name: PromptName;
  file: string;
  text: string;
  /** SHA-256 of the file's text; stored with every episode that used it. */
  sha256: string;
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

/** Hashes of every prompt, keyed by file name: the provenance record for an episode. */
export function promptHashes(): Record<string, string> {
  return Object.fromEntries(Object.values(PROMPTS).map((p) => [p.file, p.sha256]));
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

export function renderPrompt(name: PromptName, values: Readonly<Record<string, string | number>> = {}): string {
  const template = PROMPTS[name];
  return fillPlaceholders(template.text, template.file, values);
}
