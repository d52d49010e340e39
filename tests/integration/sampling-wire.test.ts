import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { runBatch } from '../../server/services/evaluation/batch-run.ts';
import { startFakeOpenAiServer, type ChatRequestBody, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

/** What goes on the wire for each role: the role defaults, the models file's overrides, reasoning effort per provider. */

const dir = tempDir();
let server: FakeOpenAiServer;
let n = 0;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.respondWith(roleResponder());
});

const BENCH = writeFile(
  dir,
  'bench.jsonl',
  jsonl([{ type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' }, exampleRecord(0)]),
);

function compatible(name: string, extra: Record<string, unknown> = {}): AiSdkProvider {
  return new AiSdkProvider({
    config: ModelConfigSchema.parse({
      name,
      provider: 'openai-compatible',
      model: name,
      baseUrl: server.baseUrl,
      maxRetries: 0,
      ...extra,
    }),
  });
}

function text(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** The role a request plays, recognised from its prompt as the role responder recognises it. */
function roleOf(body: ChatRequestBody): string {
  const system = text(body.messages.find((m) => m.role === 'system')?.content ?? '');
  const all = body.messages.map((m) => text(m.content)).join('\n');
  if (all.includes('You are role-playing')) return 'simulated_user';
  if (system.includes('against specific criteria')) return 'rubric_judge';
  if (system.includes('correct answer, by comparing')) return 'correctness_judge';
  if (all.includes('You annotate one turn')) return 'disclosure_labeler';
  return 'assistant';
}

type Wire = Pick<ChatRequestBody, 'temperature' | 'max_tokens' | 'reasoning_effort'>;

/** One run of all three modes on one record; every role's distinct wire settings. */
async function wireByRole(mut: AiSdkProvider, judge: AiSdkProvider): Promise<Record<string, Wire[]>> {
  await runBatch({
    benchmarkFile: BENCH,
    outFile: join(dir, `results-${++n}.jsonl`),
    models: { assistant: mut, judge, simulator: judge },
    modes: ['no_prompt', 'persona_known', 'infer_persona'],
    userTypes: ['passive_nostop'],
    maxTurns: 5,
    fixedQuestions: null,
    maxProblems: null,
    seed: 42,
    shard: null,
    concurrency: 2,
    referenceQuirks: false,
    skipImages: false,
    storage: null,
    signal: new AbortController().signal,
  });
  const out: Record<string, Wire[]> = {};
  for (const { body } of server.requests) {
    const wire: Wire = {
      temperature: body.temperature,
      max_tokens: body.max_tokens,
      reasoning_effort: body.reasoning_effort,
    };
    const seen = (out[roleOf(body)] ??= []);
    if (!seen.some((w) => JSON.stringify(w) === JSON.stringify(wire))) seen.push(wire);
  }
  return out;
}

describe('sampling on the wire, per role', () => {
  it("sends the reference's defaults, with a reasoning effort only to models that accept one", async () => {
    const wire = await wireByRole(compatible('mut', { reasoning: true }), compatible('judge', { reasoning: true }));
    expect(wire).toEqual({
      assistant: [{ temperature: 0.7, max_tokens: 8192, reasoning_effort: 'low' }],
      simulated_user: [{ temperature: 0.4, max_tokens: 4096, reasoning_effort: 'high' }],
      rubric_judge: [{ temperature: 0.1, max_tokens: 4096, reasoning_effort: 'high' }],
      correctness_judge: [{ temperature: 0, max_tokens: 4096, reasoning_effort: 'high' }],
      disclosure_labeler: [{ temperature: 0, max_tokens: 4096, reasoning_effort: 'high' }],
    });

    server.reset();
    const plain = await wireByRole(compatible('mut'), compatible('judge'));
    expect(plain.assistant).toEqual([{ temperature: 0.7, max_tokens: 8192 }]);
    expect(plain.rubric_judge).toEqual([{ temperature: 0.1, max_tokens: 4096 }]);
    expect(server.requests.every((r) => !('reasoning_effort' in r.body))).toBe(true);
  });

  it("lets the models file's parameters win over the role default, and the judges' fixed temperatures over both", async () => {
    const wire = await wireByRole(
      compatible('mut', { parameters: { temperature: 0.2, maxTokens: 1000, reasoningEffort: 'medium' } }),
      compatible('judge', { parameters: { temperature: 0.9, maxTokens: 2000 } }),
    );
    expect(wire.assistant).toEqual([{ temperature: 0.2, max_tokens: 1000, reasoning_effort: 'medium' }]);
    expect(wire.simulated_user).toEqual([{ temperature: 0.4, max_tokens: 2000 }]);
    expect(wire.rubric_judge).toEqual([{ temperature: 0.1, max_tokens: 2000 }]);
  });

  it('passes the effort through the AI SDK OpenAI provider to reasoning models, by the reference rule', async () => {
    const openai = (model: string, extra: Record<string, unknown> = {}): AiSdkProvider =>
      new AiSdkProvider({
        config: ModelConfigSchema.parse({ name: model, provider: 'openai', model, baseUrl: server.baseUrl, ...extra }),
        apiKey: 'k',
      });
    const messages = [{ role: 'user' as const, content: 'Hi' }];
    await openai('o3-mini').complete({ messages, purpose: 'assistant' });
    await openai('o3-mini').complete({ messages, purpose: 'rubric_judge', temperature: 0.1 });
    await openai('gpt-4o').complete({ messages, purpose: 'assistant' });
    await openai('my-gpt5', { reasoning: true }).complete({ messages, purpose: 'simulated_user', temperature: 0.4 });
    const [o3Assistant, o3Judge, gpt4o, forced] = server.requests.map((r) => r.body);
    // A reasoning model takes max_completion_tokens and no temperature; the SDK leaves the temperature out.
    expect(o3Assistant).toMatchObject({ reasoning_effort: 'low', max_completion_tokens: 8192 });
    expect(o3Assistant?.temperature).toBeUndefined();
    expect(o3Judge).toMatchObject({ reasoning_effort: 'high', max_completion_tokens: 4096 });
    expect(gpt4o).toMatchObject({ temperature: 0.7, max_tokens: 8192 });
    expect(gpt4o).not.toHaveProperty('reasoning_effort');
    expect(forced).toMatchObject({ reasoning_effort: 'high', max_completion_tokens: 4096 });
    expect(forced?.temperature).toBeUndefined();
  });
});

/** A server that records request bodies and answers each path with a fixed JSON document. */
async function recorder(reply: (path: string) => unknown): Promise<{
  url: string;
  bodies: { path: string; body: Record<string, unknown> }[];
  close: () => Promise<void>;
}> {
  const bodies: { path: string; body: Record<string, unknown> }[] = [];
  const read = async (req: IncomingMessage): Promise<string> => {
    let s = '';
    for await (const chunk of req) s += String(chunk);
    return s;
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void read(req).then((raw) => {
      const path = req.url ?? '';
      bodies.push({ path, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply(path)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('thinking options of the other providers, on the wire', () => {
  it('sends Anthropic a thinking budget on top of the answer tokens', async () => {
    const anthropic = await recorder(() => ({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 1 },
    }));
    try {
      const provider = new AiSdkProvider({
        config: ModelConfigSchema.parse({
          name: 'claude',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          baseUrl: `${anthropic.url}/v1`,
          reasoning: true,
        }),
        apiKey: 'k',
      });
      const reply = await provider.complete({
        messages: [{ role: 'user', content: 'Score this.' }],
        purpose: 'rubric_judge',
        temperature: 0.1,
      });
      expect(reply.text).toBe('ok');
      const body = anthropic.bodies[0]?.body;
      expect(anthropic.bodies[0]?.path).toBe('/v1/messages');
      expect(body?.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
      expect(body?.max_tokens).toBe(4096 + 8192);
      // Anthropic refuses a temperature with thinking; the SDK leaves it out.
      expect(body?.temperature).toBeUndefined();
    } finally {
      await anthropic.close();
    }
  });

  it('sends Gemini 2.x a thinking budget and later Gemini a thinking level; none to a model that does not reason', async () => {
    const google = await recorder(() => ({
      candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
    }));
    try {
      const gemini = (model: string, reasoning: boolean): AiSdkProvider =>
        new AiSdkProvider({
          config: ModelConfigSchema.parse({ name: model, provider: 'google', model, baseUrl: google.url, reasoning }),
          apiKey: 'k',
        });
      const messages = [{ role: 'user' as const, content: 'Hi' }];
      await gemini('gemini-2.5-flash', true).complete({ messages, purpose: 'assistant' });
      await gemini('gemini-3-pro-preview', true).complete({ messages, purpose: 'rubric_judge', temperature: 0.1 });
      await gemini('gemini-2.0-flash', false).complete({ messages, purpose: 'assistant' });
      const config = google.bodies.map((b) => b.body.generationConfig as Record<string, unknown>);
      expect(google.bodies[0]?.path).toBe('/models/gemini-2.5-flash:generateContent');
      expect(config[0]).toMatchObject({
        temperature: 0.7,
        maxOutputTokens: 8192,
        thinkingConfig: { thinkingBudget: 1024 },
      });
      expect(config[1]).toMatchObject({
        temperature: 0.1,
        maxOutputTokens: 4096,
        thinkingConfig: { thinkingLevel: 'high' },
      });
      expect(config[2]).toMatchObject({ temperature: 0.7, maxOutputTokens: 8192 });
      expect(config[2]).not.toHaveProperty('thinkingConfig');
    } finally {
      await google.close();
    }
  });
});
