import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrockServer, type FakeBedrockServer } from '../support/fake-bedrock-server.ts';
import { closedPortUrl, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

// `prefdisco models check` against real HTTP servers speaking the chat-completions and Bedrock Converse protocols: an
// OpenAI-compatible model, an Azure deployment and a Bedrock model that work, one whose JSON mode answers prose, one
// whose key variable is not set, and one whose server is down. Each must be reported for what it is, without retries.
const dir = tempDir();
let fake: FakeOpenAiServer;
let bedrock: FakeBedrockServer;
let modelsFile: string;

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  bedrock = await startFakeBedrockServer();
  bedrock.replyWith('{"ok": true}');
  fake.respondWith((body) => {
    const json = body.response_format !== undefined;
    if (body.model === 'prose-only') return { kind: 'text', text: 'Sure! Everything is fine.' };
    return { kind: 'text', text: json ? '{"ok": true}' : 'ready', usage: { prompt: 20, completion: 2 } };
  });
  modelsFile = writeFile(
    dir,
    'models.json',
    JSON.stringify({
      models: [
        {
          name: 'compat',
          provider: 'openai-compatible',
          model: 'local-model',
          baseUrl: fake.baseUrl,
          pricePerMillion: { input: 1, output: 2 },
        },
        {
          name: 'azure-classic',
          provider: 'azure',
          model: 'my-deployment',
          baseUrl: `${fake.url}/openai`,
          apiVersion: '2024-10-21',
          apiKeyEnv: 'TEST_AZURE_KEY',
        },
        { name: 'prose', provider: 'openai-compatible', model: 'prose-only', baseUrl: fake.baseUrl },
        { name: 'keyless', provider: 'openai', model: 'gpt-4o', apiKeyEnv: 'TEST_UNSET_KEY_VARIABLE' },
        { name: 'down', provider: 'openai-compatible', model: 'm', baseUrl: `${await closedPortUrl()}/v1` },
        {
          name: 'bedrock-claude',
          provider: 'bedrock',
          model: 'anthropic.claude-test',
          baseUrl: bedrock.baseUrl,
          apiKeyEnv: 'TEST_BEDROCK_KEY',
        },
      ],
    }),
  );
});
afterAll(async () => {
  await fake?.close();
  await bedrock?.close();
});

const env = (): Record<string, string> => ({
  PREFDISCO_MODELS_FILE: modelsFile,
  TEST_AZURE_KEY: 'azure-secret',
  TEST_BEDROCK_KEY: 'bedrock-secret',
});

describe('prefdisco models check', () => {
  it('reports what works and what does not, and exits 1 when any model fails', async () => {
    const r = await runCli(['models', 'check', '--timeout', '10'], env());
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/^compat \(openai-compatible, local-model\): works$/m);
    expect(out).toMatch(
      /^ {2}streamed: ok, first text after \d+ ms, done after \d+ ms; 20 in \/ 2 out tokens, \$0\.000024; replied "ready"$/m,
    );
    expect(out).toMatch(/^azure-classic \(azure, my-deployment\): works$/m);
    expect(out).toMatch(/^prose \(openai-compatible, prose-only\): does NOT work$/m);
    expect(out).toMatch(/^ {2}JSON mode: FAILED \(not_json\) after \d+ ms: the reply is not a JSON object/m);
    expect(out).toMatch(
      /^keyless \(openai, gpt-4o\): does NOT work\n {2}not set up: .*TEST_UNSET_KEY_VARIABLE, which is not set$/m,
    );
    expect(out).toMatch(/^down \(openai-compatible, m\): does NOT work\n {2}streamed: FAILED \(connection\)/m);
    expect(out).toMatch(/^bedrock-claude \(bedrock, anthropic\.claude-test\): works$/m);
    expect(out).toMatch(/^3 of 6 models do not work$/m);
    // Bedrock: the streamed call over converse-stream's binary event stream, the JSON call over converse, bearer key.
    expect(bedrock.requests.map((q) => [q.path, q.authorization])).toEqual([
      ['/model/anthropic.claude-test/converse-stream', 'Bearer bedrock-secret'],
      ['/model/anthropic.claude-test/converse', 'Bearer bedrock-secret'],
    ]);
    // The Azure deployment was called the Azure way: its path, its api-version, its key header.
    const azure = fake.requests.filter((q) => q.body.model === 'my-deployment');
    expect(azure.map((q) => q.path)).toEqual([
      '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
      '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
    ]);
    expect(azure.map((q) => q.apiKey)).toEqual(['azure-secret', 'azure-secret']);
    expect(azure.map((q) => q.body.stream === true)).toEqual([true, false]);
    // No retries: the down model's server saw nothing and each working model was called exactly twice.
    expect(fake.requests.filter((q) => q.body.model === 'local-model')).toHaveLength(2);
  }, 90_000);

  it('checks only the named models (exit 0 when they work) and refuses unknown names with the declared ones', async () => {
    const ok = await runCli(['models', 'check', '--model', 'compat', '--model', 'azure-classic', '--json'], env());
    expect(ok.code).toBe(0);
    const checks = JSON.parse(ok.stdout) as { name: string; ok: boolean; json: { ok: boolean } }[];
    expect(checks.map((c) => [c.name, c.ok, c.json.ok])).toEqual([
      ['compat', true, true],
      ['azure-classic', true, true],
    ]);
    const unknown = await runCli(['models', 'check', '--model', 'nope'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown model "nope"; declared in .*models\.json: scripted, compat, azure-classic/);
  }, 90_000);
});
