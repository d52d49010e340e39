import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelConfigSchema, type ModelConfig } from '../../shared/schemas/models.ts';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { runBatch, type BatchRunOptions } from '../../server/services/evaluation/batch-run.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { REFERENCE_EXAMPLE_FILE, exampleRecord } from '../support/records.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

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

function model(name: string, extra: Partial<ModelConfig> = {}): AiSdkProvider {
  return new AiSdkProvider({
    config: ModelConfigSchema.parse({
      name,
      provider: 'openai-compatible',
      model: name,
      baseUrl: server.baseUrl,
      timeoutMs: 400,
      maxRetries: 3,
      retryBaseDelayMs: 10,
      ...extra,
    }),
  });
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const BENCH = writeFile(
  dir,
  'bench.jsonl',
  jsonl([
    { type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' },
    exampleRecord(0),
    exampleRecord(1),
    exampleRecord(2),
  ]),
);

function options(over: Partial<BatchRunOptions> = {}): BatchRunOptions {
  const out = join(dir, `results-${++n}.jsonl`);
  return {
    benchmarkFile: BENCH,
    outFile: out,
    models: { assistant: model('mut'), judge: model('judge'), simulator: model('judge') },
    modes: ['no_prompt', 'persona_known', 'infer_persona'],
    userTypes: ['passive_nostop'],
    maxTurns: 5,
    fixedQuestions: null,
    maxProblems: null,
    seed: 42,
    shard: null,
    concurrency: 4,
    referenceQuirks: false,
    skipImages: false,
    storage: null,
    signal: new AbortController().signal,
    ...over,
  };
}

describe('batch runs over the real AI SDK path against a local OpenAI-compatible server', () => {
  it('writes one reference-format result line per (record, mode, user type) and the aggregate line', async () => {
    const storage = SqliteStorage.open({ file: join(dir, 'episodes.sqlite') });
    const o = options({ storage });
    const summary = await runBatch(o);
    expect(summary).toMatchObject({ total: 9, done: 9, failed: 0, skipped: 0, interrupted: false });
    const results = lines(o.outFile);
    expect(results.map((r) => `${r.problem_id}/${r.mode}/${r.user_type}`).sort()).toEqual(
      [0, 1, 2]
        .flatMap((i) => [
          `problem_${i}_okafor_3fa9c21b/infer_persona/passive_nostop`,
          `problem_${i}_okafor_3fa9c21b/no_prompt/no_user_interaction`,
          `problem_${i}_okafor_3fa9c21b/persona_known/no_user_interaction`,
        ])
        .sort(),
    );
    const discovery = results.find((r) => r.mode === 'infer_persona') as {
      weighted_score: number;
      correct: number;
      evaluation: { interaction_turns: number };
      conversation: unknown[];
    };
    expect(discovery.weighted_score).toBeCloseTo(4, 10);
    expect(discovery.correct).toBe(1);
    expect(discovery.evaluation.interaction_turns).toBe(2);
    // opening, two Q/A pairs, the in-loop final answer and its automatic ###STOP### (+ final prompt), the final answer
    expect(discovery.conversation).toHaveLength(1 + 4 + 2 + 1);
    const [aggregate] = lines(o.outFile.replace(/\.jsonl$/, '_aggregate.jsonl'));
    expect(aggregate).toMatchObject({
      model: 'mut',
      problems_evaluated: 9,
      average_score_overall: 4,
      average_correctness_overall: 1,
      per_mode_prompt_results: { infer_persona_passive_nostop: { evaluations: 3 } },
    });
    // Every episode is in the database with its event log.
    const stored = await storage.listEpisodes({ runId: summary.runId ?? '' });
    expect(stored).toHaveLength(9);
    expect(stored.every((e) => e.status === 'completed')).toBe(true);
    const one = await storage.getEpisode(stored[0]?.id ?? '');
    expect(one?.events[0]).toMatchObject({ type: 'episode_started', seq: 0 });
    expect(one?.events[one.events.length - 1]).toMatchObject({ type: 'episode_completed' });
    await storage.close();
  });

  it('rides out 429 with Retry-After, 500s, a hang past the timeout and malformed judge JSON', async () => {
    const o = options({ modes: ['no_prompt'], benchmarkFile: REFERENCE_EXAMPLE_FILE });
    server.plan(
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 500 },
      { kind: 'hang' },
      { kind: 'text', text: 'A generic answer.' },
      { kind: 'text', text: 'I think it deserves a four.' },
    );
    const started = Date.now();
    const summary = await runBatch(o);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(summary).toMatchObject({ done: 1, failed: 0 });
    const [result] = lines(o.outFile) as { weighted_score: number; prefdisco_live: { issues: string[] } }[];
    expect(result?.weighted_score).toBe(4);
    expect(result?.prefdisco_live.issues).toEqual([
      expect.stringMatching(/criterion_judged: attempt 1: no JSON object in the reply/),
    ]);
  });

  it('a model that keeps failing is recorded as failed with its reason, and the run goes on', async () => {
    const o = options({
      modes: ['no_prompt', 'persona_known'],
      models: { assistant: model('broken', { maxRetries: 1 }), judge: model('judge'), simulator: model('judge') },
    });
    server.respondWith((body) => (body.model === 'broken' ? { kind: 'status', status: 500 } : roleResponder()(body)));
    const summary = await runBatch(o);
    expect(summary).toMatchObject({ total: 6, done: 0, failed: 6, interrupted: false });
    const failures = lines(o.outFile.replace(/\.jsonl$/, '_failures.jsonl'));
    expect(failures).toHaveLength(6);
    expect(failures[0]).toMatchObject({
      stage: 'assistant',
      code: 'server_error',
      reason: expect.stringMatching(/500/),
    });
  });

  it('an interrupted run resumes: the rerun skips what is done and finishes the rest, with no duplicates', async () => {
    server.respondWith(roleResponder({ delayMs: 30 }));
    const controller = new AbortController();
    const o = options({ concurrency: 2, signal: controller.signal });
    const first = runBatch({
      ...o,
      onProgress: (p) => {
        if (p.done >= 3) controller.abort();
      },
    });
    const interrupted = await first;
    expect(interrupted.interrupted).toBe(true);
    const partial = lines(o.outFile).length;
    expect(partial).toBeGreaterThanOrEqual(3);
    expect(partial).toBeLessThan(9);
    const resumed = await runBatch({ ...o, signal: new AbortController().signal });
    expect(resumed).toMatchObject({ skipped: partial, done: 9 - partial, interrupted: false });
    const keys = lines(o.outFile).map((r) => `${r.problem_id}/${r.mode}/${r.user_type}`);
    expect(keys).toHaveLength(9);
    expect(new Set(keys).size).toBe(9);
    expect(lines(o.outFile.replace(/\.jsonl$/, '_aggregate.jsonl'))).toHaveLength(1);
  });

  it('re-judges reference result lines that lack correctness, and reports broken lines with their numbers', async () => {
    const o = options({ modes: ['no_prompt'], benchmarkFile: REFERENCE_EXAMPLE_FILE });
    const legacy = {
      problem_id: 'problem_17_okafor_3fa9c21b',
      persona_id: 'okafor_3fa9c21b',
      mode: 'no_prompt',
      user_prompt: 'no_user_interaction',
      weighted_score: 3,
      conversation: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'The answer is 720.' },
      ],
      evaluation: { criteria_scores: {}, weighted_score: 3, interaction_turns: 0, preferences_expressed: [] },
      timestamp: 1,
    };
    writeFile(dir, o.outFile.split('/').pop() ?? '', jsonl([legacy]));
    const summary = await runBatch(o);
    expect(summary).toMatchObject({ rejudged: 1, skipped: 1, done: 0 });
    expect(lines(o.outFile)[0]).toMatchObject({
      user_type: 'no_user_interaction',
      correct: 1,
      evaluation: { correctness: { correct: 1 } },
    });

    const broken = options({ modes: ['no_prompt'], benchmarkFile: REFERENCE_EXAMPLE_FILE });
    writeFile(dir, broken.outFile.split('/').pop() ?? '', `${JSON.stringify(legacy)}\n{"not": "a result"}\nnot json\n`);
    await expect(runBatch(broken)).rejects.toMatchObject({
      name: 'ResultsFileError',
      issues: [{ line: 2 }, { line: 3 }],
    });
  });
});
