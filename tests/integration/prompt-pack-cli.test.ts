import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { personaProfile } from '../../server/engine/persona-profile.ts';
import { OUR_PROMPTS } from '../../server/engine/prompt-library.ts';
import { loadPromptPack } from '../../server/engine/prompt-pack.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-pack-cli-');
/** Each test starts the real bin, which takes seconds on a busy machine. */
const SLOW = 120_000;
const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');
const RECORD = JSON.parse(readFileSync(SAMPLE, 'utf8').split('\n')[1] ?? '') as BenchmarkRecord;

/** A pack replacing the oracle, the rubric judge and the passive_nostop user, in words the fake server recognises. */
const PACK = join(dir, 'pack');
mkdirSync(PACK);
writeFile(
  PACK,
  'prompts.json',
  JSON.stringify({
    name: 'cli-pack',
    prompts: {
      'oracle-system': { file: 'oracle.txt', placeholders: ['persona_profile'] },
      'rubric-judge-system': { file: 'judge-system.txt', placeholders: [] },
      'rubric-judge-user': { file: 'judge-user.txt', placeholders: ['criterion_name', 'response'] },
      'user-passive-nostop': {
        file: 'passive.txt',
        placeholders: ['persona_profile', 'chat_history', 'terminal_signal'],
      },
    },
  }),
);
writeFile(PACK, 'oracle.txt', 'PACK ORACLE. The persona:\n{persona_profile}\nEND OF PACK ORACLE\n');
writeFile(PACK, 'judge-system.txt', 'PACK JUDGE: you evaluate responses against specific criteria. JSON only.');
writeFile(PACK, 'judge-user.txt', 'PACK CRITERION {criterion_name}\n"{response}"\nScore it: {{"score": 1-5}}');
writeFile(
  PACK,
  'passive.txt',
  'You are role-playing (PACK USER).\n{persona_profile}\n{chat_history}\n[{terminal_signal}]',
);

describe('prefdisco prompts show', () => {
  it(
    'prints every prompt of an episode with its role, file and hash (ours)',
    async () => {
      const r = await runCli(['prompts', 'show', '--record', RECORD.problem_id, '--mode', 'infer_persona']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `record ${RECORD.problem_id} from ${SAMPLE}; mode infer_persona, user type passive_nostop; prompts: ours`,
      );
      const t = OUR_PROMPTS.templates;
      for (const [role, template] of [
        ['discovery-system', t.discoverySystem],
        ['user-passive-nostop', t.userPassiveNostop],
        ['disclosure-labeler', t.disclosureLabeler],
        ['final-prompt', t.finalPrompt],
        ['rubric-judge-system', t.rubricJudgeSystem],
        ['rubric-judge-user', t.rubricJudgeUser],
        ['correctness-judge-system', t.correctnessJudgeSystem],
        ['correctness-judge-user', t.correctnessJudgeUser],
      ] as const)
        expect(r.stdout).toContain(`(role ${role}, ${template.file})\nsha256 ${template.sha256}\n`);
      expect(r.stdout).toContain(
        '===== opening message (user) (built by code, no prompt file)\nI need help with the following task: ',
      );
      expect(r.stdout).toContain(personaProfile(RECORD));
      expect(r.stdout).toContain("[PLACEHOLDER: the model's final answer goes here]");
      const criteria = RECORD.evaluation_rubric.evaluation_criteria;
      expect(r.stdout.split('(role rubric-judge-user,').length - 1).toBe(criteria.length);
      expect(r.stdout.split('(role rubric-judge-system,').length - 1).toBe(1);
      // The same bytes every time, so a diff shows only the prompts' differences.
      const again = await runCli(['prompts', 'show', '--record', RECORD.problem_id, '--mode', 'infer_persona']);
      expect(again.stdout).toBe(r.stdout);
    },
    SLOW,
  );

  it(
    'with --prompts, prints the pack texts for its roles and ours for the rest',
    async () => {
      const r = await runCli([
        'prompts',
        'show',
        '--record',
        RECORD.problem_id,
        '--mode',
        'persona_known',
        '--prompts',
        PACK,
      ]);
      expect(r.code).toBe(0);
      const sha = loadPromptPack(PACK).pack?.sha256 ?? '';
      expect(r.stdout).toContain(`prompts: pack cli-pack (sha256 ${sha})`);
      expect(r.stdout).toContain(
        `(role oracle-system, cli-pack/oracle.txt)\nsha256 ${loadPromptPack(PACK).templates.oracleSystem.sha256}\n` +
          `PACK ORACLE. The persona:\n${personaProfile(RECORD)}\nEND OF PACK ORACLE\n`,
      );
      expect(r.stdout).toContain(`(role correctness-judge-user, ${OUR_PROMPTS.templates.correctnessJudgeUser.file})`);
      expect(r.stderr).toContain('prompt pack cli-pack');
      expect(r.stderr).toContain('4 of 12 roles; ours for discovery-system, fixed-questions-system, final-prompt');
    },
    SLOW,
  );

  it(
    'names a record that is not there, and refuses options that do not fit the mode',
    async () => {
      const missing = await runCli(['prompts', 'show', '--record', 'nope', '--mode', 'no_prompt']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(`no record with problem_id "nope" in ${SAMPLE}`);
      const wrong = await runCli([
        'prompts',
        'show',
        '--record',
        RECORD.problem_id,
        '--mode',
        'no_prompt',
        '--user-type',
        'passive',
      ]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('--user-type and --fixed-questions apply to --mode infer_persona only');
    },
    SLOW,
  );
});

describe('prefdisco run --prompts', () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    server.respondWith(roleResponder());
  });
  afterAll(async () => {
    await server.close();
  });

  it(
    'sends the pack texts as written and records the pack in every result line',
    async () => {
      const models = writeFile(
        dir,
        'models.json',
        JSON.stringify({
          models: [
            { name: 'mut', provider: 'openai-compatible', model: 'mut', baseUrl: server.baseUrl, maxRetries: 0 },
            { name: 'judge', provider: 'openai-compatible', model: 'judge', baseUrl: server.baseUrl, maxRetries: 0 },
          ],
        }),
      );
      const bench = writeFile(dir, 'one.jsonl', `${JSON.stringify(RECORD)}\n`);
      const out = join(dir, 'pack-results.jsonl');
      const args = ['run', bench, '--model', 'mut', '--judge', 'judge', '--out', out, '--no-db', '--prompts', PACK];
      const r = await runCli([...args, '--modes', 'persona_known,infer_persona'], { PREFDISCO_MODELS_FILE: models });
      expect(r.stderr).toContain('prompt pack cli-pack');
      expect(r.code).toBe(0);

      const set = loadPromptPack(PACK);
      const contents = server.requests.flatMap((q) => q.body.messages.map((m) => String(m.content)));
      expect(contents).toContain(`PACK ORACLE. The persona:\n${personaProfile(RECORD)}\nEND OF PACK ORACLE`);
      const judged = contents.filter((c) => c.startsWith('PACK CRITERION '));
      expect(judged).toHaveLength(2 * RECORD.evaluation_rubric.evaluation_criteria.length);
      expect(judged[0]).toMatch(
        /^PACK CRITERION .+\n"<<<RESPONSE_[0-9a-f]{32}>>>\n[\s\S]+\n<<<END_RESPONSE_[0-9a-f]{32}>>>"\nScore it: \{"score": 1-5\}/,
      );
      const users = contents.filter((c) => c.startsWith('You are role-playing (PACK USER)'));
      expect(users.length).toBeGreaterThan(0);
      // passive_nostop: the reference fills {terminal_signal} with nothing.
      for (const u of users) expect(u).toContain('\n[]');
      // Roles the pack leaves out are ours: the discovery prompt went out as our file has it.
      expect(contents).toContain(OUR_PROMPTS.templates.discoverySystem.text);

      const lines = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              mode: string;
              prefdisco_live: {
                prompt_pack: unknown;
                prompt_hashes: Record<string, string>;
                options: Record<string, unknown>;
              };
            },
        );
      expect(lines.map((l) => l.mode).sort()).toEqual(['infer_persona', 'persona_known']);
      for (const line of lines) {
        expect(line.prefdisco_live.prompt_pack).toEqual(set.pack);
        expect(line.prefdisco_live.options.promptPack).toEqual(set.pack);
        expect(line.prefdisco_live.prompt_hashes['cli-pack/oracle.txt']).toBe(set.templates.oracleSystem.sha256);
        expect(line.prefdisco_live.prompt_hashes[OUR_PROMPTS.templates.finalPrompt.file]).toBe(
          OUR_PROMPTS.templates.finalPrompt.sha256,
        );
      }
    },
    SLOW,
  );

  it(
    'refuses a pack with a problem before anything runs',
    async () => {
      const bad = join(dir, 'bad-pack');
      mkdirSync(bad);
      writeFile(
        bad,
        'prompts.json',
        JSON.stringify({ name: 'bad', prompts: { 'oracle-system': { file: 'o.txt', placeholders: [] } } }),
      );
      writeFile(bad, 'o.txt', 'No profile.');
      const out = join(dir, 'never.jsonl');
      const r = await runCli([
        'run',
        SAMPLE,
        '--model',
        'scripted',
        '--judge',
        'scripted',
        '--out',
        out,
        '--no-db',
        '--prompts',
        bad,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `${join(bad, 'o.txt')}: role oracle-system needs the placeholder {persona_profile}, which is missing`,
      );
      expect(r.stderr).toContain(`prefdisco run: the prompt pack in ${bad} cannot be used (1 problems)`);
      expect(existsSync(out)).toBe(false);
    },
    SLOW,
  );

  it(
    'refuses to resume a results file with other prompts than its lines were asked with',
    async () => {
      const out = join(dir, 'mixed.jsonl');
      const bench = writeFile(dir, 'mixed.src.jsonl', `${JSON.stringify(RECORD)}\n`);
      const args = ['run', bench, '--model', 'scripted', '--judge', 'scripted', '--out', out, '--no-db'];
      const first = await runCli([...args, '--modes', 'no_prompt', '--prompts', PACK]);
      expect(first.code).toBe(0);
      const again = await runCli([...args, '--modes', 'no_prompt,persona_known']);
      expect(again.code).toBe(1);
      const sha = loadPromptPack(PACK).pack?.sha256.slice(0, 12) ?? '';
      expect(again.stderr).toContain(
        `${out}: 1 result lines were asked with prompt pack cli-pack (sha256 ${sha}…), this run with our own prompts; ` +
          'resuming would mix them: use the same --prompts, or another --out',
      );
      expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'without --prompts, result lines say so (prompt_pack null) and the recorded options are unchanged',
    async () => {
      const out = join(dir, 'ours.jsonl');
      const bench = writeFile(dir, 'ours.jsonl.src', `${JSON.stringify(RECORD)}\n`);
      const r = await runCli([
        'run',
        bench,
        '--model',
        'scripted',
        '--judge',
        'scripted',
        '--out',
        out,
        '--no-db',
        '--modes',
        'no_prompt',
      ]);
      expect(r.code).toBe(0);
      const line = JSON.parse(readFileSync(out, 'utf8').trim()) as {
        prefdisco_live: { prompt_pack: unknown; options: object };
      };
      expect(line.prefdisco_live.prompt_pack).toBeNull();
      expect(Object.keys(line.prefdisco_live.options)).not.toContain('promptPack');
    },
    SLOW,
  );
});

describe('prefdisco generate --prompts', () => {
  it(
    'records the pack and its generation files in the metadata line',
    async () => {
      const genPack = join(dir, 'gen-pack');
      mkdirSync(genPack);
      writeFile(
        genPack,
        'prompts.json',
        JSON.stringify({
          name: 'gen-pack',
          prompts: { 'generation-system': { file: 'system.txt', placeholders: [] } },
        }),
      );
      writeFile(genPack, 'system.txt', 'PACK GENERATION SYSTEM.');
      const example = join(PROJECT_ROOT, 'data', 'generation-example', 'five-questions.json');
      const out = join(dir, 'gen-out');
      const r = await runCli([
        'generate',
        '--config',
        example,
        '--model',
        'scripted',
        '--out',
        out,
        '--max-pairs',
        '1',
        '--prompts',
        genPack,
      ]);
      expect(r.stderr).toContain('prompt pack gen-pack');
      expect(r.stderr).toContain('1 of 8 generation roles; ours for persona-generation');
      const metadata = JSON.parse(
        readFileSync(join(out, 'personalized_five-questions.jsonl'), 'utf8').split('\n')[0] ?? '',
      ) as {
        generator: { prompt_pack: unknown; prompt_hashes: Record<string, string> };
      };
      expect(metadata.generator.prompt_pack).toEqual(loadPromptPack(genPack).pack);
      expect(Object.keys(metadata.generator.prompt_hashes)).toContain('gen-pack/system.txt');
      expect(Object.keys(metadata.generator.prompt_hashes)).not.toContain('generation-system.v1.txt');
    },
    SLOW,
  );
});
