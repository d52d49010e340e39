import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STOP_SIGNAL } from '../../server/engine/assistant-protocol.ts';
import { correctnessJudgeMessages } from '../../server/engine/correctness-judge.ts';
import { OUR_PROMPTS, promptHashes, renderPrompt } from '../../server/engine/prompt-library.ts';
import { loadPromptPack, packRoles, packSha256, PromptPackError } from '../../server/engine/prompt-pack.ts';
import { scanPlaceholders } from '../../server/engine/prompt-pack-placeholders.ts';
import { rubricJudgeMessages } from '../../server/engine/rubric-judge.ts';
import { simulatedUserPrompt } from '../../server/engine/simulated-user-seat.ts';
import { loadGenerationPromptPack } from '../../server/generation/generation-prompt-pack.ts';
import { generationMessages, generationPromptHashes } from '../../server/generation/generation-prompts.ts';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { referenceExample } from '../support/records.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const root = tempDir('prefdisco-pack-');
let packs = 0;

/** A pack folder with the given manifest (an object is written as JSON, a string as is) and files. */
function pack(manifest: unknown, files: Record<string, string>): string {
  const dir = join(root, `pack-${(packs += 1)}`);
  mkdirSync(dir);
  writeFile(dir, 'prompts.json', typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadPromptPack(dir);
  } catch (error) {
    if (error instanceof PromptPackError) return error.problems;
    throw error;
  }
  throw new Error('the pack was accepted');
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

const JUDGE_USER =
  'Judge {criterion_name} ({criterion_description}).\nAnswer: "{response}"\nValue: {preference_value}\n';
const PASSIVE = 'Persona:\n{persona_profile}\nHistory:\n{chat_history}\nStop with: `{terminal_signal}`{{"json": true}}';

describe('a prompt pack from files in a folder', () => {
  const dir = pack(
    {
      name: 'ref-test',
      description: 'two judge roles and the passive users',
      prompts: {
        'rubric-judge-system': { file: 'judge-system.txt', placeholders: [] },
        'rubric-judge-user': {
          file: 'judge-user.txt',
          placeholders: ['criterion_name', 'criterion_description', 'response', 'preference_value'],
        },
        'user-passive': { file: 'passive.txt', placeholders: ['persona_profile', 'chat_history', 'terminal_signal'] },
        'user-passive-nostop': {
          file: 'passive.txt',
          placeholders: ['persona_profile', 'chat_history', 'terminal_signal'],
        },
      },
    },
    { 'judge-system.txt': 'Judge system, verbatim.\n\n', 'judge-user.txt': JUDGE_USER, 'passive.txt': PASSIVE },
  );
  const set = loadPromptPack(dir);
  const record = referenceExample();
  const criterion = record.evaluation_rubric.evaluation_criteria[0];
  if (!criterion) throw new Error('the test record has no criterion');

  it('renders the roles it names exactly as written, placeholders filled', () => {
    const [system, user] = rubricJudgeMessages(record, criterion, 'BLOCK', set);
    expect(system.content).toBe('Judge system, verbatim.');
    const preference = record.persona_preferences[criterion.preference];
    expect(user.content).toBe(
      `Judge ${criterion.preference} (${criterion.description}).\nAnswer: "BLOCK"\nValue: ${String(preference?.value)}`,
    );
  });

  it("fills {terminal_signal} as the reference does: the stop signal, nothing for passive_nostop; '{{' is a brace", () => {
    expect(simulatedUserPrompt('passive', 'PROFILE', 'HISTORY', set)).toBe(
      `Persona:\nPROFILE\nHistory:\nHISTORY\nStop with: \`${STOP_SIGNAL}\`{"json": true}`,
    );
    expect(simulatedUserPrompt('passive_nostop', 'PROFILE', 'HISTORY', set)).toBe(
      'Persona:\nPROFILE\nHistory:\nHISTORY\nStop with: ``{"json": true}',
    );
  });

  it('keeps ours for the roles it leaves out, and says which roles are its own', () => {
    expect(set.templates.discoverySystem).toBe(OUR_PROMPTS.templates.discoverySystem);
    expect(simulatedUserPrompt('collaborative', 'P', 'H', set)).toBe(simulatedUserPrompt('collaborative', 'P', 'H'));
    const problem = normalizeProblem(record);
    expect(correctnessJudgeMessages(problem, 'B', set)).toEqual(correctnessJudgeMessages(problem, 'B'));
    expect(packRoles(set)).toEqual(['user-passive', 'user-passive-nostop', 'rubric-judge-system', 'rubric-judge-user']);
  });

  it('names its files after the pack in the hashes, and hashes itself from its name and texts', () => {
    const hashes = promptHashes(set);
    expect(hashes['ref-test/judge-user.txt']).toBe(sha(JUDGE_USER.replace(/\n+$/, '')));
    expect(hashes['ref-test/judge-system.txt']).toBe(sha('Judge system, verbatim.'));
    expect(hashes['discovery-system.v2.txt']).toBe(OUR_PROMPTS.templates.discoverySystem.sha256);
    expect(set.pack).toEqual({
      name: 'ref-test',
      sha256: packSha256('ref-test', {
        'rubric-judge-system': sha('Judge system, verbatim.'),
        'rubric-judge-user': sha(JUDGE_USER.replace(/\n+$/, '')),
        'user-passive': sha(PASSIVE),
        'user-passive-nostop': sha(PASSIVE),
      }),
    });
    expect(set.pack?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes hash when a text changes, not when a file is renamed', () => {
    const a = pack(
      { name: 'n', prompts: { 'final-prompt': { file: 'a.txt', placeholders: [] } } },
      { 'a.txt': 'Final.' },
    );
    const b = pack(
      { name: 'n', prompts: { 'final-prompt': { file: 'b.txt', placeholders: [] } } },
      { 'b.txt': 'Final.\n' },
    );
    const c = pack(
      { name: 'n', prompts: { 'final-prompt': { file: 'a.txt', placeholders: [] } } },
      { 'a.txt': 'Final!' },
    );
    expect(loadPromptPack(a).pack?.sha256).toBe(loadPromptPack(b).pack?.sha256);
    expect(loadPromptPack(c).pack?.sha256).not.toBe(loadPromptPack(a).pack?.sha256);
    expect(renderPrompt('finalPrompt', {}, loadPromptPack(c))).toBe('Final!');
  });
});

describe('a pack that cannot be used is refused with every problem, each naming its file', () => {
  const one = (role: string, file: string, placeholders: string[]): unknown => ({
    name: 'bad',
    prompts: { [role]: { file, placeholders } },
  });

  it('no manifest', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    expect(problemsOf(dir)).toEqual([`${join(dir, 'prompts.json')}: cannot be read`]);
  });

  it('a manifest that is not JSON', () => {
    const dir = pack('{"name": ', {});
    expect(problemsOf(dir)[0]).toMatch(/prompts\.json: not JSON: /);
  });

  it('a manifest without a name, with an unknown key, or a file path that leaves the folder', () => {
    const dir = pack({ prompts: { 'final-prompt': { file: '../x.txt', placeholders: [] } }, extra: 1 }, {});
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/prompts\.json: name: /));
    expect(problems).toContainEqual(expect.stringMatching(/prompts\.json: .*extra/));
    expect(problems).toContainEqual(
      expect.stringMatching(/prompts\.json: prompts\.final-prompt\.file: a file name in the pack folder/),
    );
  });

  it('an unknown role', () => {
    const dir = pack(one('judge', 'j.txt', []), { 'j.txt': 'x' });
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(
        /prompts\.json: unknown role "judge" \(the roles: discovery-system, .*disclosure-labeler, generation-system, .*rubric-criteria\)$/,
      ),
    ]);
  });

  it('a role naming no roles at all', () => {
    expect(problemsOf(pack({ name: 'bad', prompts: {} }, {}))).toEqual([
      expect.stringMatching(/prompts\.json: "prompts" names no role$/),
    ]);
  });

  it('an unreadable file, and an empty one', () => {
    const dir = pack(
      { name: 'bad', prompts: { 'final-prompt': { file: 'gone.txt', placeholders: [] } } },
      { 'empty.txt': '\n' },
    );
    expect(problemsOf(dir)).toEqual([`${join(dir, 'gone.txt')}: cannot be read (role final-prompt)`]);
    const empty = pack(one('final-prompt', 'empty.txt', []), { 'empty.txt': '\n\n' });
    expect(problemsOf(empty)).toEqual([`${join(empty, 'empty.txt')}: is empty (role final-prompt)`]);
  });

  it('an unknown placeholder', () => {
    const dir = pack(one('oracle-system', 'o.txt', ['persona_profile']), { 'o.txt': '{persona_profile} {persona}' });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'o.txt')}: unknown placeholder {persona} for role oracle-system (its placeholders: {persona_profile})`,
    ]);
  });

  it('a placeholder the role needs, missing', () => {
    const dir = pack(one('rubric-judge-user', 'j.txt', ['criterion_name']), { 'j.txt': 'Judge {criterion_name}.' });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'j.txt')}: role rubric-judge-user needs the placeholder {response}, which is missing`,
    ]);
  });

  it('a declared placeholder the file does not use, and a used one the manifest does not declare', () => {
    const dir = pack(one('fixed-questions-system', 'f.txt', ['turn']), { 'f.txt': 'Ask {num_questions}.' });
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'f.txt')}: the manifest declares {turn}, but the file does not use it`,
      `${join(dir, 'f.txt')}: uses {num_questions}, which the manifest does not declare for role fixed-questions-system`,
    ]);
  });

  it('an f-string expression left in, and lone braces, with their lines', () => {
    const dir = pack(one('rubric-judge-user', 'j.txt', ['response']), {
      'j.txt': 'Judge {criterion[\'preference\']}.\n{response}\nJSON: {\n  "score": 1 }',
    });
    const file = join(dir, 'j.txt');
    expect(problemsOf(dir)).toEqual([
      `${file}: line 1: "{criterion['preference']}" is not a placeholder name (lower-case letters, digits and _; an expression from a Python f-string must become one of the role's placeholders, or "{{" "}}" for braces)`,
      `${file}: line 3: a "{" that opens no placeholder (write "{{" for a literal brace)`,
      `${file}: line 4: a lone "}" (write "}}" for a literal brace)`,
      `${file}: role rubric-judge-user needs the placeholder {criterion_name}, which is missing`,
    ]);
  });

  it('collects the problems of every role before refusing', () => {
    const dir = pack(
      {
        name: 'bad',
        prompts: {
          'oracle-system': { file: 'o.txt', placeholders: [] },
          'final-prompt': { file: 'f.txt', placeholders: [] },
        },
      },
      { 'o.txt': 'No profile here.', 'f.txt': 'Final {answer}.' },
    );
    expect(problemsOf(dir)).toHaveLength(2);
    expect(() => loadPromptPack(dir)).toThrowError(/prompt pack .* cannot be used:\n {2}.*o\.txt: role oracle-system/);
  });
});

describe('placeholder scan', () => {
  it('reads a template as str.format does', () => {
    expect(scanPlaceholders('{{a}} {b} {c_2}}}')).toEqual({ names: new Set(['b', 'c_2']), problems: [] });
    expect(scanPlaceholders('{B}').problems).toHaveLength(1);
    expect(scanPlaceholders('}{').problems).toHaveLength(2);
  });
});

describe('the generator’s roles of a pack', () => {
  const dir = pack(
    {
      name: 'gen',
      prompts: {
        'generation-system': { file: 's.txt', placeholders: [] },
        'persona-coherence': { file: 'c.txt', placeholders: ['persona_json'] },
      },
    },
    { 's.txt': 'GEN SYSTEM', 'c.txt': 'Check {persona_json} {{"ok": true}}' },
  );

  it('go out as written, the other generation roles keep ours, and the engine roles are untouched', () => {
    const { set, roles } = loadGenerationPromptPack(dir);
    expect(roles).toEqual(['generation-system', 'persona-coherence']);
    expect(generationMessages('personaCoherence', { persona_json: 'P' }, set)).toEqual([
      { role: 'system', content: 'GEN SYSTEM' },
      { role: 'user', content: 'Check P {"ok": true}' },
    ]);
    const values = { new_dimensions: 'N', existing_dimensions: 'E' };
    expect(generationMessages('dimensionDedup', values, set)[1]).toEqual(
      generationMessages('dimensionDedup', values)[1],
    );
    expect(generationPromptHashes(set)['gen/c.txt']).toBe(sha('Check {persona_json} {{"ok": true}}'));
    const engine = loadPromptPack(dir);
    expect(engine.templates).toEqual(OUR_PROMPTS.templates);
    expect(engine.pack).toEqual(set.pack);
  });

  it('are checked like the engine’s', () => {
    const bad = pack(
      { name: 'gen', prompts: { 'persona-coherence': { file: 'c.txt', placeholders: ['persona'] } } },
      { 'c.txt': 'Check {persona}' },
    );
    expect(problemsOf(bad)).toEqual([
      `${join(bad, 'c.txt')}: unknown placeholder {persona} for role persona-coherence (its placeholders: {persona_json})`,
      `${join(bad, 'c.txt')}: role persona-coherence needs the placeholder {persona_json}, which is missing`,
    ]);
  });
});
