import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { loadPromptPack } from '../../server/engine/prompt-pack.ts';
import { loadGenerationPromptPack } from '../../server/generation/generation-prompt-pack.ts';
import { runGeneration } from '../../server/generation/generation-run.ts';
import { GenerationStateError, readState } from '../../server/generation/generation-state.ts';
import type { GenerationPromptSet } from '../../server/generation/generation-prompts.ts';
import { loadGenerationConfig } from '../../server/generation/load-config.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-gen-resume-pack-');
/** Each CLI call starts the real bin, which takes seconds on a busy machine. */
const SLOW = 180_000;
const EXAMPLE = join(PROJECT_ROOT, 'data', 'generation-example', 'five-questions.json');
const OUTPUT = 'personalized_five-questions.jsonl';

/** A pack replacing only the generation system prompt, with its own words so two packs hash differently. */
function pack(name: string): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  writeFile(
    folder,
    'prompts.json',
    JSON.stringify({ name, prompts: { 'generation-system': { file: 'system.txt', placeholders: [] } } }),
  );
  writeFile(folder, 'system.txt', `GENERATION SYSTEM OF ${name.toUpperCase()}.`);
  return folder;
}

const PACK_A = pack('pack-a');
const PACK_B = pack('pack-b');

function generateArgs(out: string, prompts: string | null): string[] {
  return [
    'generate',
    '--config',
    EXAMPLE,
    '--model',
    'scripted',
    '--out',
    out,
    '--max-pairs',
    '1',
    ...(prompts ? ['--prompts', prompts] : []),
  ];
}

function named(folder: string): string {
  const id = loadPromptPack(folder).pack;
  if (id === null) throw new Error(`${folder} is not a pack`);
  const { name, sha256 } = id;
  return `prompt pack ${name} (sha256 ${sha256.slice(0, 12)}…)`;
}

describe('prefdisco generate continues a run only with the prompts it was started with', () => {
  it(
    'refuses another pack or none, naming both, changes nothing, and continues with the same pack',
    async () => {
      const out = join(dir, 'cli');
      const first = await runCli(generateArgs(out, PACK_A));
      expect(first.code, first.stderr).toBe(0);
      const before = readFileSync(join(out, OUTPUT), 'utf8');
      const state = readFileSync(join(out, 'personalized_five-questions_state.json'), 'utf8');
      expect(JSON.parse(state)).toMatchObject({ promptPack: loadPromptPack(PACK_A).pack });

      const other = await runCli(generateArgs(out, PACK_B));
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(
        `${join(out, OUTPUT)} was started with ${named(PACK_A)}, this run asks for ${named(PACK_B)}`,
      );
      expect(other.stderr).toContain('rerun with the same --prompts, or use another --out directory');

      const none = await runCli(generateArgs(out, null));
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(`was started with ${named(PACK_A)}, this run asks for our own prompts`);
      // Refused before any model call: the output and the state are as the first run left them.
      expect(readFileSync(join(out, OUTPUT), 'utf8')).toBe(before);
      expect(readFileSync(join(out, 'personalized_five-questions_state.json'), 'utf8')).toBe(state);

      const same = await runCli(generateArgs(out, PACK_A));
      expect(same.code, same.stderr).toBe(0);
      const records = readFileSync(join(out, OUTPUT), 'utf8').trim().split('\n').length - 1;
      expect(records).toBe(2);
    },
    SLOW,
  );
});

describe('runGeneration on a run started with our own prompts', () => {
  const loaded = loadGenerationConfig(EXAMPLE, {});
  const generate = (out: string, prompts: GenerationPromptSet | undefined) =>
    runGeneration({
      config: loaded.config,
      sourceFile: loaded.sourceFile,
      personasDir: loaded.personasDir ?? join(PROJECT_ROOT, 'personas'),
      libraryFile: null,
      outDir: join(dir, out),
      provider: new ScriptedProvider(SCRIPTED_MODEL),
      concurrency: 2,
      maxPairs: 1,
      ...(prompts ? { prompts } : {}),
      signal: new AbortController().signal,
    });

  it('refuses a pack on the rerun, and a state from before packs were kept takes the next one', async () => {
    const first = await generate('ours', undefined);
    expect(readState(first.stateFile)?.promptPack).toBeNull();
    const withPack = loadGenerationPromptPack(PACK_B).set;
    const refused = generate('ours', withPack);
    await expect(refused).rejects.toThrow(GenerationStateError);
    await expect(refused).rejects.toThrow(`was started with our own prompts, this run asks for ${named(PACK_B)}`);

    // A state file written before the pack was kept has no promptPack: the rerun goes on and records its pack.
    const old = readFileSync(first.stateFile, 'utf8').replace(/,\n {2}"promptPack": null/, '');
    expect(old).not.toContain('promptPack');
    writeFile(join(dir, 'ours'), 'personalized_five-questions_state.json', old);
    const resumed = await generate('ours', withPack);
    expect(resumed.done).toBe(1);
    expect(readState(resumed.stateFile)?.promptPack).toEqual(loadPromptPack(PACK_B).pack);
  });
});
