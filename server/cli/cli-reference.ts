import type { Command } from 'commander';
import { runCli } from './main.ts';
import { buildProgram } from './program.ts';

export const REFERENCE_START =
  "<!-- cli:start: generated from each command's --help by `npm run docs:cli`; do not edit -->";
export const REFERENCE_END = '<!-- cli:end -->';

export interface CommandEntry {
  /** [] for the program, ["validate"], …, ["stats"], ["stats", "alpha"], … */
  path: string[];
  command: Command;
}

/** Every command and subcommand, the program first, in help order. */
export function allCommands(): CommandEntry[] {
  const walk = (command: Command, path: string[]): CommandEntry[] => [
    { path, command },
    ...command.commands.flatMap((c) => walk(c, [...path, c.name()])),
  ];
  return walk(buildProgram({ io: { out: () => {}, err: () => {} }, exit: () => {} }), []);
}

/** What `prefdisco <path> --help` prints, and its exit code, run in-process. */
export async function helpOf(path: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await runCli([...path, '--help'], { out: (t) => out.push(t), err: (t) => out.push(t) });
  return { code, text: out.join('\n') };
}

/** The README's CLI reference: each command's help, in help order, between the markers. */
export async function cliReference(): Promise<string> {
  const parts: string[] = [REFERENCE_START];
  for (const { path } of allCommands()) {
    const { text } = await helpOf(path);
    parts.push('', `#### \`prefdisco ${[...path, '--help'].join(' ')}\``, '', '```text', text.trimEnd(), '```');
  }
  parts.push('', REFERENCE_END);
  return parts.join('\n');
}

/** `readme` with the text between the markers replaced by `reference`; null when the markers are missing. */
export function withReference(readme: string, reference: string): string | null {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start === -1 || end === -1 || end < start) return null;
  return readme.slice(0, start) + reference + readme.slice(end + REFERENCE_END.length);
}
