import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { parseRetryAfter } from '../../server/models/http/classify-error.ts';
import { JSON_INSTRUCTION } from '../../server/models/http/json-mode.ts';
import { ModelCallError, type ModelMessage, type ModelRequest } from '../../server/models/model-provider.ts';
import { ModelConfigSchema, type ModelConfig } from '../../shared/schemas/models.ts';
import { closedPortUrl, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const API_KEY = 'sk-test-secret-key-0123456789';
const ASK: ModelMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is six times seven?' },
];

function config(overrides: Partial<Record<keyof ModelConfig, unknown>> = {}): ModelConfig {
  return ModelConfigSchema.parse({
    name: 'fake-model',
    provider: 'openai-compatible',
    model: 'fake-1',
    baseUrl: server.baseUrl,
    timeoutMs: 400,
    maxRetries: 2,
    retryBaseDelayMs: 10,
    ...overrides,
  });
}

function provider(overrides: Partial<Record<keyof ModelConfig, unknown>> = {}, apiKey = API_KEY): AiSdkProvider {
  return new AiSdkProvider({ config: config(overrides), apiKey });
}

function ask(extra: Partial<ModelRequest> = {}): ModelRequest {
  return { messages: ASK, purpose: 'assistant', ...extra };
}

async function failure(call: Promise<unknown>): Promise<ModelCallError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ModelCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('AiSdkProvider against a local OpenAI-compatible server', () => {
  it('completes a call and reports text, usage, cost and finish reason', async () => {
    server.plan({ kind: 'text', text: 'Forty-two.', usage: { prompt: 1000, completion: 500 } });
    const p = provider({
      pricePerMillion: { input: 2, output: 8 },
      parameters: { temperature: 0.7, maxTokens: 256, topP: 0.9, seed: 42 },
    });
    const response = await p.complete(ask({ temperature: 0.1 }));

    expect(response).toMatchObject({ text: 'Forty-two.', finishReason: 'stop', attempts: 1, cached: false });
    expect(response.usage.inputTokens).toBe(1000);
    expect(response.usage.outputTokens).toBe(500);
    expect(response.usage.costUsd).toBeCloseTo(0.002 + 0.004, 10);
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    expect(p.isTestModel).toBe(false);
    expect(p.totals).toEqual({
      calls: 1,
      inputTokens: 1000,
      outputTokens: 500,
      costUsd: expect.closeTo(0.006, 10),
      retries: 0,
    });

    const [sent] = server.requests;
    expect(sent?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.body).toMatchObject({ model: 'fake-1', temperature: 0.1, max_tokens: 256, top_p: 0.9, seed: 42 });
    expect(sent?.body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is six times seven?' },
    ]);
    expect(sent?.body.response_format).toBeUndefined();
  });

  it('reports null cost when the model has no prices', async () => {
    server.plan({ kind: 'text', text: 'ok', usage: { prompt: 3, completion: 1 } });
    const p = provider();
    const response = await p.complete(ask());
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 1, costUsd: null });
    expect(p.totals.costUsd).toBeNull();
  });

  it('streams deltas in order as they arrive, and their concatenation is the returned text', async () => {
    const text = 'Alpha beta gamma delta epsilon zeta.';
    server.plan({ kind: 'text', text, chunks: 4, chunkDelayMs: 40, usage: { prompt: 7, completion: 6 } });
    const chunks: { delta: string; at: number }[] = [];
    const response = await provider().complete(
      ask({ onChunk: (delta) => chunks.push({ delta, at: performance.now() }) }),
    );

    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.map((c) => c.delta).join('')).toBe(text);
    expect(response.text).toBe(text);
    expect(response.usage).toMatchObject({ inputTokens: 7, outputTokens: 6 });
    expect(response.finishReason).toBe('stop');
    // Delivered over time, not all at the end: the first and last delta are at least two pauses apart.
    expect((chunks.at(-1)?.at ?? 0) - (chunks[0]?.at ?? 0)).toBeGreaterThanOrEqual(60);
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('retries a streamed call that fails with 500', async () => {
    server.plan({ kind: 'status', status: 500 }, { kind: 'text', text: 'one two three', chunks: 3 });
    const deltas: string[] = [];
    const response = await provider().complete(ask({ onChunk: (d) => deltas.push(d) }));
    expect(response).toMatchObject({ text: 'one two three', attempts: 2 });
    expect(deltas.join('')).toBe('one two three');
  });

  it('a stream cut off mid-reply is retried, and onRestart tells the listener to drop the partial text', async () => {
    server.plan({ kind: 'destroy' }, { kind: 'text', text: 'whole reply here', chunks: 3 });
    let shown = '';
    let restarts = 0;
    const response = await provider().complete(
      ask({
        onChunk: (d) => (shown += d),
        onRestart: () => {
          restarts += 1;
          shown = '';
        },
      }),
    );
    expect(response).toMatchObject({ text: 'whole reply here', attempts: 2 });
    expect(restarts).toBe(1);
    expect(shown).toBe('whole reply here');
  });

  it('json mode sends response_format json_object, appends the instruction and strips fences', async () => {
    server.plan({ kind: 'text', text: '```json\n{"score": 4}\n```' });
    const response = await provider().complete(ask({ json: true }));

    expect(response.text).toBe('{"score": 4}');
    const body = server.requests[0]?.body;
    expect(body?.response_format).toEqual({ type: 'json_object' });
    expect(body?.messages[0]).toEqual({ role: 'system', content: 'You are terse.' });
    expect(body?.messages[1]).toEqual({ role: 'user', content: `What is six times seven?\n\n${JSON_INSTRUCTION}` });
    expect(JSON_INSTRUCTION).toBe(
      'Reply with clean JSON only: no explanations, no code blocks, and no ```json marker.',
    );
  });

  it('json mode works the same through the openai provider (chat completions) and when streaming', async () => {
    server.plan(
      { kind: 'text', text: '```json\n{"a": 1}\n```' },
      { kind: 'text', text: '```\n{"b": 2}\n```', chunks: 3 },
    );
    const openai = provider({ provider: 'openai', baseUrl: server.baseUrl });
    expect((await openai.complete(ask({ json: true }))).text).toBe('{"a": 1}');
    expect((await provider().complete(ask({ json: true, onChunk: () => undefined }))).text).toBe('{"b": 2}');
    expect(server.requests.map((r) => r.body.response_format)).toEqual([
      { type: 'json_object' },
      { type: 'json_object' },
    ]);
    expect(server.requests.map((r) => r.body.messages.at(-1)?.content)).toEqual([
      `What is six times seven?\n\n${JSON_INSTRUCTION}`,
      `What is six times seven?\n\n${JSON_INSTRUCTION}`,
    ]);
  });
});

describe('retries and failures', () => {
  it('honours Retry-After on 429 and succeeds on the second attempt', async () => {
    server.plan({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'text', text: 'after the pause' });
    const p = provider();
    const started = performance.now();
    const response = await p.complete(ask());
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(response).toMatchObject({ text: 'after the pause', attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(p.totals.retries).toBe(1);
  });

  it('retries 500 twice, then succeeds with attempts = 3', async () => {
    server.plan({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'text', text: 'third time' });
    expect(await provider().complete(ask())).toMatchObject({ text: 'third time', attempts: 3 });
  });

  it('gives up on a server that keeps failing with server_error after maxRetries + 1 attempts', async () => {
    server.plan(...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 500 })));
    const error = await failure(provider({ maxRetries: 2 }).complete(ask()));
    expect(error).toMatchObject({ code: 'server_error', attempts: 3, status: 500 });
    expect(error.message).toMatch(/^server error \(500\) after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('a 429 that never clears ends as rate_limited', async () => {
    server.plan({ kind: 'status', status: 429 }, { kind: 'status', status: 429 });
    const error = await failure(provider({ maxRetries: 1 }).complete(ask()));
    expect(error).toMatchObject({ code: 'rate_limited', attempts: 2, status: 429 });
    expect(error.message).toMatch(/^rate limited \(429\) after 2 attempts/);
  });

  it('retries a call that hangs past its timeout', async () => {
    server.plan({ kind: 'hang' }, { kind: 'text', text: 'awake now' });
    const started = performance.now();
    const response = await provider({ timeoutMs: 300 }).complete(ask());
    expect(response).toMatchObject({ text: 'awake now', attempts: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('ends with timeout when every attempt hangs', async () => {
    server.plan({ kind: 'hang' }, { kind: 'hang' });
    const started = performance.now();
    const error = await failure(provider({ timeoutMs: 300, maxRetries: 1 }).complete(ask()));
    expect(error).toMatchObject({ code: 'timeout', attempts: 2 });
    expect(error.message).toBe('timed out (limit 300 ms per attempt) after 2 attempts');
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
  });

  it('does not retry 401, and never puts the API key in the message', async () => {
    server.plan({ kind: 'status', status: 401, message: `Incorrect API key provided: ${API_KEY}` });
    const error = await failure(provider().complete(ask()));
    expect(error).toMatchObject({ code: 'auth', attempts: 1, status: 401 });
    expect(error.message).toMatch(/^authentication failed \(401\) after 1 attempt/);
    expect(error.message).not.toContain(API_KEY);
    expect(error.stack ?? '').not.toContain(API_KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 400', async () => {
    server.plan({ kind: 'status', status: 400, message: 'unknown parameter' });
    const error = await failure(provider().complete(ask()));
    expect(error).toMatchObject({ code: 'bad_request', attempts: 1, status: 400 });
    expect(error.message).toBe('bad request (400) after 1 attempt: unknown parameter');
  });

  it('retries empty output, then fails with empty_output', async () => {
    server.plan({ kind: 'empty' }, { kind: 'text', text: 'not empty' });
    expect(await provider().complete(ask())).toMatchObject({ text: 'not empty', attempts: 2 });

    server.plan({ kind: 'empty' }, { kind: 'text', text: '   \n ' });
    const error = await failure(provider({ maxRetries: 1 }).complete(ask()));
    expect(error).toMatchObject({ code: 'empty_output', attempts: 2 });
  });

  it('retries a malformed body and a connection destroyed mid-response', async () => {
    server.plan({ kind: 'malformed' }, { kind: 'destroy' }, { kind: 'text', text: 'intact' });
    expect(await provider().complete(ask())).toMatchObject({ text: 'intact', attempts: 3 });

    server.plan({ kind: 'destroy' }, { kind: 'malformed' }, { kind: 'text', text: 'streamed intact' });
    expect(await provider().complete(ask({ onChunk: () => undefined }))).toMatchObject({
      text: 'streamed intact',
      attempts: 3,
    });
  });

  it('reports connection when nothing listens', async () => {
    const error = await failure(provider({ baseUrl: await closedPortUrl(), maxRetries: 1 }).complete(ask()));
    expect(error).toMatchObject({ code: 'connection', attempts: 2 });
    expect(error.message).toMatch(/^connection failed after 2 attempts: .*ECONNREFUSED/);
  });
});

describe('cancellation', () => {
  it('an abort during a backoff sleep stops at once with aborted', async () => {
    server.plan({ kind: 'status', status: 500 });
    const controller = new AbortController();
    const call = failure(provider({ retryBaseDelayMs: 5_000 }).complete(ask({ signal: controller.signal })));
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const abortedAt = performance.now();
    controller.abort();
    const error = await call;
    // The backoff would be at least 2.5 s; the margin keeps the test steady on a loaded machine.
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: 'aborted', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('an abort while the request is in flight is aborted, not a timeout, and is not retried', async () => {
    server.plan({ kind: 'hang' });
    const controller = new AbortController();
    const call = failure(provider({ timeoutMs: 5_000 }).complete(ask({ signal: controller.signal })));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    controller.abort();
    expect(await call).toMatchObject({ code: 'aborted', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('limits, spending and caching', () => {
  it('keeps at most maxConcurrency requests in flight', async () => {
    server.plan(...Array.from({ length: 6 }, (_, i) => ({ kind: 'text' as const, text: `reply ${i}`, delayMs: 80 })));
    const p = provider({ maxConcurrency: 2 });
    const responses = await Promise.all(Array.from({ length: 6 }, () => p.complete(ask())));
    expect(responses.map((r) => r.text).sort()).toEqual([
      'reply 0',
      'reply 1',
      'reply 2',
      'reply 3',
      'reply 4',
      'reply 5',
    ]);
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight).toBe(2);
  });

  it('a queued call whose signal fires leaves the queue without a request', async () => {
    server.plan({ kind: 'text', text: 'slow', delayMs: 200 });
    const p = provider({ maxConcurrency: 1 });
    const first = p.complete(ask());
    const controller = new AbortController();
    const queued = failure(p.complete(ask({ signal: controller.signal })));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    controller.abort();
    expect(await queued).toMatchObject({ code: 'aborted', attempts: 0 });
    expect((await first).text).toBe('slow');
    expect(server.requests).toHaveLength(1);
  });

  it('stops calling once the spend cap is reached', async () => {
    // Each call costs 10 × 100/1e6 + 5 × 200/1e6 = $0.002; the cap of $0.003 is passed by the second.
    const reply = { kind: 'text' as const, text: 'paid', usage: { prompt: 10, completion: 5 } };
    server.plan(reply, reply, reply);
    const p = provider({ pricePerMillion: { input: 100, output: 200 }, spendCapUsd: 0.003 });
    await p.complete(ask());
    await p.complete(ask());
    const error = await failure(p.complete(ask()));
    expect(error).toMatchObject({ code: 'spend_cap', attempts: 0 });
    expect(error.message).toContain('spend cap of $0.003 reached');
    expect(server.requests).toHaveLength(2);
    expect(p.totals.costUsd).toBeCloseTo(0.004, 10);
  });

  it('serves identical calls from the cache, sharing one in-flight request', async () => {
    server.plan(
      { kind: 'text', text: 'cached answer', delayMs: 50, usage: { prompt: 4, completion: 2 } },
      { kind: 'text', text: 'warmer' },
    );
    const p = provider({ cache: true, pricePerMillion: { input: 1, output: 1 } });
    const [a, b] = await Promise.all([p.complete(ask()), p.complete(ask())]);
    const c = await p.complete(ask());

    expect(a).toMatchObject({ text: 'cached answer', cached: false, attempts: 1 });
    expect(b).toMatchObject({ text: 'cached answer', cached: true, attempts: 0 });
    expect(c).toMatchObject({
      text: 'cached answer',
      cached: true,
      usage: { inputTokens: 4, outputTokens: 2, costUsd: 0 },
    });
    expect(server.requests).toHaveLength(1);

    // A different temperature is a different call.
    expect(await p.complete(ask({ temperature: 1.2 }))).toMatchObject({ text: 'warmer', cached: false });
    expect(server.requests).toHaveLength(2);
    expect(p.totals.calls).toBe(2);
  });

  it('an identical call still gets an answer when the call it joined is cancelled', async () => {
    server.plan({ kind: 'text', text: 'never delivered', delayMs: 300 }, { kind: 'text', text: 'fresh answer' });
    const p = provider({ cache: true });
    const controller = new AbortController();
    const leader = failure(p.complete(ask({ signal: controller.signal })));
    const deltas: string[] = [];
    const follower = p.complete(ask({ onChunk: (d) => deltas.push(d) }));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    controller.abort();
    expect((await leader).code).toBe('aborted');
    expect(await follower).toMatchObject({ text: 'fresh answer', cached: false });
    expect(deltas.join('')).toBe('fresh answer');
    expect(server.requests).toHaveLength(2);
  });

  it('does not cache failures', async () => {
    server.plan({ kind: 'status', status: 400 }, { kind: 'text', text: 'fine now' });
    const p = provider({ cache: true });
    expect((await failure(p.complete(ask()))).code).toBe('bad_request');
    expect(await p.complete(ask())).toMatchObject({ text: 'fine now', cached: false });
  });
});

describe('other providers and helpers', () => {
  it('constructs anthropic and google providers without calling out', () => {
    const anthropic = new AiSdkProvider({
      config: ModelConfigSchema.parse({ name: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' }),
      apiKey: 'k',
    });
    const google = new AiSdkProvider({
      config: ModelConfigSchema.parse({ name: 'gemini', provider: 'google', model: 'gemini-2.5-flash' }),
      apiKey: 'k',
    });
    expect(anthropic.config.provider).toBe('anthropic');
    expect(google.config.provider).toBe('google');
    expect(anthropic.totals).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null, retries: 0 });
    expect(
      () => new AiSdkProvider({ config: ModelConfigSchema.parse({ name: 's', provider: 'scripted', model: 'x' }) }),
    ).toThrow(/scripted/);
  });

  it('parses Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter({ 'retry-after': '2' }, () => now)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 21 Oct 2026 07:28:03 GMT' }, () => now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, () => now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, () => now)).toBeUndefined();
    expect(parseRetryAfter({}, () => now)).toBeUndefined();
  });
});
