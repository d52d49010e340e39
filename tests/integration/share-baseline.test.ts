import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer, type ChatRequestBody, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { exampleRecord } from '../support/records.ts';
import { runCli } from '../support/run-cli.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

/**
 * --share-baseline through the real bin: the personas of one problem get one baseline answer, as the reference's
 * response cache gives them, each judged against its own persona's rubric.
 */

const dir = tempDir();
let server: FakeOpenAiServer;
let n = 0;
/** Every baseline call gets a different answer, so a shared one is recognisable. */
let baselineCalls = 0;

const roles = roleResponder();
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  baselineCalls = 0;
  server.respondWith((body: ChatRequestBody) => {
    // The baseline call is the opening message alone, without a system prompt (no_prompt runs call no simulator).
    if (body.messages.length === 1 && body.messages[0]?.role === 'user')
      return { kind: 'text', text: `Generic answer number ${++baselineCalls}: 720 degrees.` };
    return roles(body);
  });
});

const PERSONAS = ['ada_1', 'ben_2', 'cleo_3'];
const MODELS = (): string =>
  writeFile(
    dir,
    'models.json',
    JSON.stringify({
      models: [
        { name: 'mut', provider: 'openai-compatible', model: 'mut', baseUrl: server.baseUrl, maxRetries: 0 },
        { name: 'judge', provider: 'openai-compatible', model: 'judge', baseUrl: server.baseUrl, maxRetries: 0 },
      ],
    }),
  );

/** The same problem for three personas (each with its own problem id, as generated benchmarks have). */
function bench(personas: string[]): string {
  return writeFile(
    dir,
    `bench-${++n}.jsonl`,
    jsonl([{ type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' }, ...personas.map((p) => exampleRecord(0, p))]),
  );
}

interface Line {
  persona_id: string;
  mode: string;
  conversation: { role: string; content: string }[];
  evaluation: { criteria_scores: Record<string, unknown> };
  prefdisco_live: { options: Record<string, unknown> };
}

function baselines(out: string): Line[] {
  return readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => l.mode === 'no_prompt');
}

async function run(file: string, out: string, ...flags: string[]): Promise<void> {
  const r = await runCli(
    ['run', file, '--model', 'mut', '--judge', 'judge', '--out', out, '--no-db', '--modes', 'no_prompt', ...flags],
    { PREFDISCO_MODELS_FILE: MODELS() },
  );
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
}

const judgeCalls = (): number =>
  server.requests.filter((q) =>
    String(q.body.messages.find((m) => m.role === 'system')?.content ?? '').includes('against specific criteria'),
  ).length;

describe('--share-baseline', () => {
  it('makes one baseline call per problem and gives every persona its answer, judged per persona', async () => {
    const out = join(dir, 'shared.jsonl');
    await run(bench(PERSONAS), out, '--share-baseline');
    expect(baselineCalls).toBe(1);
    const lines = baselines(out);
    expect(lines.map((l) => l.persona_id).sort()).toEqual(PERSONAS);
    for (const l of lines) expect(l.conversation.at(-1)?.content).toBe('Generic answer number 1: 720 degrees.');
    // Judged once per persona and criterion, as without sharing.
    const criteria = exampleRecord(0).evaluation_rubric.evaluation_criteria.length;
    expect(judgeCalls()).toBe(PERSONAS.length * criteria);
    for (const l of lines) expect(Object.keys(l.evaluation.criteria_scores)).toHaveLength(criteria);
    expect(lines[0]?.prefdisco_live.options.shareBaseline).toBe(true);
  }, 60_000);

  it('is on with --reference-quirks, off without, and --no-share-baseline turns it off', async () => {
    const file = bench(PERSONAS);
    await run(file, join(dir, 'quirks.jsonl'), '--reference-quirks');
    expect(baselineCalls).toBe(1);

    baselineCalls = 0;
    const own = join(dir, 'own.jsonl');
    await run(file, own);
    expect(baselineCalls).toBe(3);
    expect(new Set(baselines(own).map((l) => l.conversation.at(-1)?.content)).size).toBe(3);
    expect(baselines(own)[0]?.prefdisco_live.options).not.toHaveProperty('shareBaseline');

    baselineCalls = 0;
    await run(file, join(dir, 'quirks-off.jsonl'), '--reference-quirks', '--no-share-baseline');
    expect(baselineCalls).toBe(3);
  }, 90_000);

  it('does not share a failed baseline call: the next persona asks again', async () => {
    const out = join(dir, 'failed-first.jsonl');
    // The first request of a one-at-a-time run is the first persona's baseline call.
    server.plan({ kind: 'status', status: 400, message: 'bad request' });
    const r = await runCli(
      [
        'run',
        bench(PERSONAS),
        '--model',
        'mut',
        '--judge',
        'judge',
        '--out',
        out,
        '--no-db',
        '--modes',
        'no_prompt',
        '--concurrency',
        '1',
        '--share-baseline',
      ],
      { PREFDISCO_MODELS_FILE: MODELS() },
    );
    expect(r.code).toBe(1);
    expect(baselineCalls).toBe(1);
    const lines = baselines(out);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.conversation.at(-1)?.content).toBe('Generic answer number 1: 720 degrees.');
    const failures = readFileSync(out.replace(/\.jsonl$/, '_failures.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0] ?? '{}')).toMatchObject({
      mode: 'no_prompt',
      stage: 'assistant',
      code: 'bad_request',
    });
  }, 60_000);

  it('reuses the answer an earlier run of the same results file wrote when resuming', async () => {
    const out = join(dir, 'resumed.jsonl');
    await run(bench(PERSONAS.slice(0, 1)), out, '--share-baseline');
    expect(baselineCalls).toBe(1);
    await run(bench(PERSONAS), out, '--share-baseline');
    expect(baselineCalls).toBe(1);
    const lines = baselines(out);
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.conversation.at(-1)?.content).toBe('Generic answer number 1: 720 degrees.');
  }, 60_000);
});
