import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { ModelCallError, type ModelProvider, type ModelRequest } from '../../server/models/model-provider.ts';
import { loadModelConfigs, ModelRegistry } from '../../server/models/model-registry.ts';
import { ModelThread } from '../../server/models/threaded/model-thread.ts';
import { ThreadedModels } from '../../server/models/threaded/threaded-models.ts';
import { RESEARCH_GATE } from '../../server/models/threaded/research-gate.ts';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer, type PlannedReply } from '../support/fake-openai-server.ts';
import {
  runModelStep,
  runModelStepHere,
  type ModelStepName,
  type ModelSteps,
} from '../../server/engine/model-steps.ts';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { referenceExample } from '../support/records.ts';
import { OUR_PROMPTS, type PromptSet } from '../../server/engine/prompt-library.ts';
import { personaProfile } from '../../server/engine/persona-profile.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

/**
 * The model-call thread (models/threaded/) against a real HTTP server speaking the provider protocol: what the loop's
 * proxy gets back must be what the in-process provider gives, for the same model configuration.
 */
const dir = tempDir('prefdisco-model-thread-');
let server: FakeOpenAiServer;
let thread: ModelThread;
let models: ThreadedModels;
const logged: string[] = [];
const MODEL = { provider: 'openai-compatible', model: 'm', maxRetries: 1, retryBaseDelayMs: 10, timeoutMs: 5_000 };

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  const file = writeFile(
    dir,
    'models.json',
    JSON.stringify({
      models: [
        { name: 'm', baseUrl: server.baseUrl, ...MODEL },
        { name: 'keyed', baseUrl: server.baseUrl, ...MODEL, apiKeyEnv: 'PREFDISCO_TEST_KEY_NOT_SET' },
      ],
    }),
  );
  thread = new ModelThread({ modelsFile: file, healthEveryMs: 50 });
  const line = (level: string) => (obj: object, msg?: string) =>
    void logged.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  thread.useLog({ debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') });
  models = new ThreadedModels(new ModelRegistry(loadModelConfigs(file), () => undefined), thread);
});
afterAll(async () => {
  await thread.close();
  await server.close();
});

const threaded = (): ModelProvider => models.get('m');
const inProcess = (): AiSdkProvider =>
  new AiSdkProvider({ config: ModelConfigSchema.parse({ name: 'm', baseUrl: server.baseUrl, ...MODEL }) });
const ask = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [{ role: 'user', content: 'Hi there.' }],
  purpose: 'assistant',
  ...extra,
});

async function failure(call: Promise<unknown>): Promise<ModelCallError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ModelCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('model calls on the model-call thread', () => {
  it('streams the deltas in order, and their concatenation is the returned text', async () => {
    server.reset();
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    server.plan({ kind: 'text', text, chunks: 12, chunkDelayMs: 5 });
    const deltas: string[] = [];
    const response = await threaded().complete(ask({ onChunk: (d) => deltas.push(d) }));
    expect(deltas.length).toBe(12);
    expect(deltas.join('')).toBe(text);
    expect(response).toMatchObject({ text, attempts: 1, cached: false, finishReason: 'stop' });
    expect(server.requests[0]?.body.stream).toBe(true);
  });

  it('a stream cut off mid-reply is retried, and onRestart comes before the new attempt’s deltas', async () => {
    server.reset();
    server.plan({ kind: 'destroy' }, { kind: 'text', text: 'second attempt', chunks: 2 });
    const events: string[] = [];
    const response = await threaded().complete(
      ask({ onChunk: (d) => events.push(d), onRestart: () => events.push('<restart>') }),
    );
    expect(response).toMatchObject({ text: 'second attempt', attempts: 2 });
    const restart = events.indexOf('<restart>');
    expect(restart).toBeGreaterThanOrEqual(0);
    expect(events.slice(restart + 1).join('')).toBe('second attempt');
  });

  it('an abort rejects with aborted at once, and the provider sees its request closed', async () => {
    server.reset();
    server.plan({ kind: 'hang' });
    const controller = new AbortController();
    const call = failure(threaded().complete(ask({ signal: controller.signal, onChunk: () => undefined })));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    controller.abort();
    expect(await call).toMatchObject({ code: 'aborted', attempts: 1 });
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect(server.requests).toHaveLength(1);
    // A call whose signal fired before it started never reaches the thread.
    const early = await failure(threaded().complete(ask({ signal: AbortSignal.abort() })));
    expect(early).toMatchObject({ code: 'aborted', attempts: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['401 (not retried)', [{ kind: 'status' as const, status: 401, message: 'bad key' }]],
    ['400 (not retried)', [{ kind: 'status' as const, status: 400, message: 'no such parameter' }]],
    [
      '500 twice',
      [
        { kind: 'status' as const, status: 500 },
        { kind: 'status' as const, status: 500 },
      ],
    ],
    ['empty twice', [{ kind: 'empty' as const }, { kind: 'empty' as const }]],
  ])('%s fails with the same code, message, attempts and status as in-process', async (_, plan) => {
    server.reset();
    server.plan(...plan);
    const here = await failure(inProcess().complete(ask()));
    server.plan(...plan);
    const there = await failure(threaded().complete(ask()));
    expect(there).toBeInstanceOf(ModelCallError);
    expect({ ...there, message: there.message }).toEqual({ ...here, message: here.message });
    expect(there.code).not.toBe('unknown');
  });

  it('health counts what the thread saw, as the in-process provider counts it', async () => {
    const plan = [
      { kind: 'status' as const, status: 500 },
      { kind: 'text' as const, text: 'ok' },
      { kind: 'status' as const, status: 429, retryAfter: '0' },
      { kind: 'status' as const, status: 429, retryAfter: '0' },
    ];
    const local = inProcess();
    const before = threaded().health?.();
    server.reset();
    server.plan(...plan);
    await local.complete(ask());
    await failure(local.complete(ask()));
    server.plan(...plan);
    await threaded().complete(ask());
    await failure(threaded().complete(ask()));
    const after = threaded().health?.();
    const expected = local.health();
    expect(after).toBeDefined();
    expect(before).toBeDefined();
    if (!after || !before) return;
    expect(after.calls - before.calls).toBe(expected.calls);
    expect(after.retries - before.retries).toBe(expected.retries);
    expect(after.failedCalls - before.failedCalls).toBe(expected.failedCalls);
    expect((after.failedAttempts.rate_limited ?? 0) - (before.failedAttempts.rate_limited ?? 0)).toBe(2);
    expect(after.lastFailure).toMatchObject({
      code: 'rate_limited',
      final: true,
      message: expected.lastFailure?.message,
    });
  });

  it('passes images as their bytes and the json flag, temperature and token limit through', async () => {
    server.reset();
    server.plan({ kind: 'text', text: '{"a": 1}' });
    const bytes = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3, 250]);
    const response = await threaded().complete({
      messages: [{ role: 'user', content: 'Look.', images: [{ mediaType: 'image/png', data: bytes }] }],
      purpose: 'rubric_judge',
      json: true,
      temperature: 0.1,
      maxTokens: 77,
    });
    expect(response.text).toBe('{"a": 1}');
    const body = server.requests[0]?.body;
    expect(body?.response_format).toEqual({ type: 'json_object' });
    expect(body?.temperature).toBe(0.1);
    expect(body?.max_tokens ?? body?.max_completion_tokens).toBe(77);
    expect(JSON.stringify(body?.messages)).toContain(`data:image/png;base64,${Buffer.from(bytes).toString('base64')}`);
  });

  it('a crash of the thread fails its calls with connection, and a new thread answers the next call', async () => {
    server.reset();
    server.plan({ kind: 'hang' });
    const before = threaded().health?.().calls ?? 0;
    const call = failure(threaded().complete(ask({ onChunk: () => undefined })));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    await thread.kill();
    expect(await call).toMatchObject({ code: 'connection', attempts: 1 });
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect(logged.some((l) => l.includes('the model-call thread stopped unexpectedly'))).toBe(true);
    // Made during the restart pause: it waits for the new thread instead of failing.
    const next = await threaded().complete(ask());
    expect(next.text.length).toBeGreaterThan(0);
    // The dead thread's counts stay in the model's health.
    expect(threaded().health?.().calls).toBeGreaterThanOrEqual(before + 2);
  });

  it('the scripted model stays in-process; unknown models and missing keys are refused on the loop', () => {
    expect(models.get('scripted').isTestModel).toBe(true);
    expect(() => models.get('nope')).toThrow(/unknown model "nope"/);
    expect(() => models.get('keyed')).toThrow(/PREFDISCO_TEST_KEY_NOT_SET, which is not set/);
  });

  it('close cancels running calls with aborted and ends the thread without waiting for them', async () => {
    const own = new ModelThread({
      modelsFile: writeFile(
        dir,
        'close.json',
        JSON.stringify({ models: [{ name: 'm', baseUrl: server.baseUrl, ...MODEL }] }),
      ),
    });
    server.reset();
    server.plan({ kind: 'hang' }, { kind: 'hang' });
    const calls = [failure(own.complete('m', ask())), failure(own.complete('m', ask({ onChunk: () => undefined })))];
    // The new thread compiles its code first (a second or more on a busy machine).
    await vi.waitFor(() => expect(server.inFlight).toBe(2), { timeout: 20_000 });
    await own.close();
    expect((await Promise.all(calls)).map((e) => e.code)).toEqual(['aborted', 'aborted']);
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect((await failure(own.complete('m', ask()))).code).toBe('aborted');
  });
});

describe('engine steps on the model-call thread', () => {
  const record = referenceExample();
  const [criterion] = record.evaluation_rubric.evaluation_criteria;
  const [preference] = Object.keys(record.persona_preferences);
  if (!criterion || !preference) throw new Error('the reference example has a rubric and preferences');
  const inputs: { [N in ModelStepName]: ModelSteps[N]['input'] } = {
    label: {
      preferences: record.persona_preferences,
      assistantMessage: 'How much detail do you want?',
      userMessage: 'Short, please, and skip the <b>jargon</b>.',
    },
    criterion: { record, criterion, response: 'The answer is 42, briefly.', reference: false },
    correctness: { problem: normalizeProblem(record), response: 'The answer is 42.', reference: false },
    simulate: {
      record,
      userType: 'passive_nostop',
      turn: 1,
      assistantMessage: 'What should I focus on?',
      history: [{ assistant: 'Hello, what level?', user: 'Beginner.' }],
      // The line wrote the age as 47.0: the caller's render prints it so, and the thread sends that render.
      profile: personaProfile(record, { integralFloats: new Set(['$["persona"]["demographics"]["age"]']) }),
    },
  };
  // Each step's first reply is unusable, so the parse retry runs on the thread too.
  const replies: Record<ModelStepName, string> = {
    label: JSON.stringify({ asked: [preference, 'invented'], revealed: [{ preference, value: 'short' }] }),
    criterion: JSON.stringify({ score: 4, justification: 'clear and brief' }),
    correctness: JSON.stringify({ correct: 1, justification: 'matches' }),
    simulate: JSON.stringify({ thought: 'keep it short', response: 'The key idea, please.' }),
  };
  /** A request as sent, without the enclosure codes of conversation text (their key is random per thread). */
  const codes = (body: unknown): string => JSON.stringify(body).replace(/[0-9a-f]{16,}/g, '#');
  const plan = (name: ModelStepName): PlannedReply[] => [
    { kind: 'text', text: 'not json at all' },
    { kind: 'text', text: replies[name] },
  ];

  it.each(Object.keys(inputs) as ModelStepName[])(
    '%s: the same result and the same requests as the step run in-process',
    async (name) => {
      server.reset();
      server.plan(...plan(name));
      const here = await runModelStepHere(name, inProcess(), inputs[name]);
      const hereBodies = server.requests.map((r) => r.body);
      server.reset();
      server.plan(...plan(name));
      const there = await runModelStep(name, threaded(), inputs[name]);
      expect(there).toEqual(here);
      expect(JSON.stringify(there)).not.toContain('not json at all');
      // Same prompts, except for the enclosure codes of conversation text, which are random per thread.
      expect(server.requests.map((r) => codes(r.body))).toEqual(hereBodies.map(codes));
      expect(server.requests).toHaveLength(2);
      if (name === 'simulate') expect(JSON.stringify(server.requests[0]?.body)).toContain('Age: 47.0');
    },
  );

  it('an idle thread lets research steps through past the gate’s minimum; a person’s label goes out meanwhile', async () => {
    server.reset();
    // The judgments hang until cancelled, as a slow provider's would; the label answers at once.
    server.respondWith((body) =>
      JSON.stringify(body).includes(inputs.criterion.response)
        ? { kind: 'hang' }
        : { kind: 'text', text: replies.label },
    );
    try {
      const controller = new AbortController();
      // More than the gate's minimum, fewer than the model's own limit (16 by default).
      const count = RESEARCH_GATE.min + 4;
      const judged = Array.from({ length: count }, () =>
        failure(runModelStep('criterion', threaded(), inputs.criterion, controller.signal, 'research')),
      );
      // The gate starts at its minimum and doubles while the thread has time to spare and steps wait.
      await vi.waitFor(() => expect(server.inFlight).toBe(count), { timeout: 5_000 });
      const label = await runModelStep('label', threaded(), inputs.label);
      expect(label.asked).toEqual([preference]);
      controller.abort();
      expect(new Set((await Promise.all(judged)).map((e) => e.code))).toEqual(new Set(['aborted']));
      await vi.waitFor(() => expect(server.inFlight).toBe(0));
    } finally {
      server.respondWith(null);
    }
  });

  it('a label names only hidden preferences, and the result crossed as data', async () => {
    server.reset();
    server.plan({ kind: 'text', text: replies.label });
    const label = await runModelStep('label', threaded(), inputs.label);
    expect(label.asked).toEqual([preference]);
    expect(label.revealed).toEqual([{ preference, value: 'short' }]);
    expect(label.issue).toMatch(/dropped names that are not hidden preferences: invented/);
  });

  it('a failing model call fails the step with its code; an abort cancels the step and its request', async () => {
    server.reset();
    server.plan({ kind: 'status', status: 401, message: 'bad key' });
    const failed = await failure(runModelStep('criterion', threaded(), inputs.criterion));
    expect(failed).toMatchObject({ code: 'auth', status: 401 });
    server.reset();
    server.plan({ kind: 'hang' });
    const controller = new AbortController();
    const step = failure(runModelStep('simulate', threaded(), inputs.simulate, controller.signal));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    controller.abort();
    expect(await step).toMatchObject({ code: 'aborted' });
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
  });

  it('a crash of the thread fails a running step with connection', async () => {
    server.reset();
    server.plan({ kind: 'hang' });
    const step = failure(runModelStep('label', threaded(), inputs.label));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    await thread.kill();
    expect(await step).toMatchObject({ code: 'connection' });
    server.plan({ kind: 'text', text: replies.label });
    expect((await runModelStep('label', threaded(), inputs.label)).asked).toEqual([preference]);
  });

  it('our prompts are the thread’s own; a study’s prompt pack crosses with the step', async () => {
    const judgeUser = OUR_PROMPTS.templates.rubricJudgeUser;
    const pack: PromptSet = {
      pack: { name: 'study-pack', sha256: 'f'.repeat(64) },
      templates: {
        ...OUR_PROMPTS.templates,
        rubricJudgeUser: { ...judgeUser, text: `PACK WORDING. ${judgeUser.text}` },
      },
    };
    for (const prompts of [OUR_PROMPTS, pack]) {
      server.reset();
      server.plan({ kind: 'text', text: replies.criterion });
      const here = await runModelStepHere('criterion', inProcess(), { ...inputs.criterion, prompts });
      const sent = codes(server.requests[0]?.body.messages);
      server.reset();
      server.plan({ kind: 'text', text: replies.criterion });
      expect(await runModelStep('criterion', threaded(), { ...inputs.criterion, prompts })).toEqual(here);
      expect(codes(server.requests[0]?.body.messages)).toBe(sent);
      expect(sent.includes('PACK WORDING.')).toBe(prompts === pack);
    }
  });

  it('an unknown step is refused by the thread, and a scripted model runs its steps in place', async () => {
    await expect(thread.step('m', 'no_such_step', {})).rejects.toThrow(/unknown model step 'no_such_step'/);
    server.reset();
    const label = await runModelStep('label', models.get('scripted'), inputs.label);
    expect(server.requests).toHaveLength(0);
    expect(Array.isArray(label.asked)).toBe(true);
  });
});
