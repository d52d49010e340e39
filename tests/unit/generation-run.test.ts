import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { GenerationConfigSchema, type GenerationConfig } from '../../shared/schemas/generation-config.ts';
import { runGeneration, type GenerationSummary } from '../../server/generation/generation-run.ts';
import { GenerationStateError, readState } from '../../server/generation/generation-state.ts';
import { MeteredProvider } from '../../server/models/metered-provider.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../server/models/model-provider.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { validateBenchmarkFile } from '../../server/services/benchmark/validate-benchmark-file.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
const SOURCE = writeFile(
  dir,
  'source.jsonl',
  [
    { problem: 'What is 7 times 8?', answer: '56' },
    { problem: 'Simplify (x^2 - 1)/(x - 1).', answer: 'x + 1' },
    { problem: 'How many edges does a cube have?', answer: '12' },
    { problem: 'No answer here' },
    { problem: 'What is the derivative of x^3?', answer: '3x^2' },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n'),
);

const PERSONAS = join(dir, 'personas');
mkdirSync(PERSONAS);
for (const f of readdirSync(join(PROJECT_ROOT, 'personas'))
  .filter((n) => n.endsWith('.json'))
  .sort()
  .slice(0, 6)) {
  copyFileSync(join(PROJECT_ROOT, 'personas', f), join(PERSONAS, f));
}

function config(extra: Record<string, unknown> = {}): GenerationConfig {
  return GenerationConfigSchema.parse({
    task: 'mini',
    source: { file: SOURCE, shape: 'math' },
    sampleSize: 3,
    seed: 11,
    personasPerProblem: 2,
    preferences: { dimensionsPerProblem: 6, generalDimensions: 2 },
    batchSize: 2,
    ...extra,
  });
}

async function generate(
  out: string,
  options: {
    config?: GenerationConfig;
    provider?: ModelProvider;
    maxPairs?: number | null;
    concurrency?: number;
    personas?: string;
  } = {},
): Promise<GenerationSummary> {
  return runGeneration({
    config: options.config ?? config(),
    sourceFile: SOURCE,
    personasDir: options.personas ?? PERSONAS,
    libraryFile: null,
    outDir: join(dir, out),
    provider: options.provider ?? new ScriptedProvider(SCRIPTED_MODEL),
    concurrency: options.concurrency ?? 3,
    maxPairs: options.maxPairs ?? null,
    signal: new AbortController().signal,
  });
}

const bytes = (out: string): string => readFileSync(join(dir, out, 'personalized_mini.jsonl'), 'utf8');
const lines = (out: string) =>
  bytes(out)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('generation run with the scripted model', () => {
  it('writes a valid reference-format file: metadata first, problems × personas records, skipped source rows reported', async () => {
    const summary = await generate('a');
    expect(summary).toMatchObject({ total: 6, done: 6, failed: 0, skipped: 0, stopped: null, sampled: 3 });
    expect(summary.source.skipped).toEqual([{ line: 4, reason: 'missing answer (column "answer")' }]);
    expect(readFileSync(summary.skippedRowsFile, 'utf8')).toBe(
      '{"line":4,"reason":"missing answer (column \\"answer\\")"}\n',
    );
    const [meta, ...records] = lines('a');
    expect(meta).toMatchObject({
      type: 'metadata',
      dataset: 'local/mini',
      personas_per_problem: 2,
      sample_size: 3,
      total_personas_in_library: 6,
      llm_clients: ['scripted'],
    });
    expect(Object.keys(meta?.general_preferences as object)).toEqual(['Explanation Depth', 'Communication Style']);
    expect(records.map((r) => r.problem_id)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^problem_0_[a-z]+_[0-9a-f]{8}$/)]),
    );
    expect(records).toHaveLength(6);
    for (const r of records) {
      const prefs = r.persona_preferences as Record<string, { type: string }>;
      expect(Object.keys(prefs)).toHaveLength(8); // 6 proposed + 2 general
      expect(Object.values(prefs).filter((p) => p.type === 'expertise')).toHaveLength(2);
      const criteria = (r.evaluation_rubric as { evaluation_criteria: { preference: string; weight: number }[] })
        .evaluation_criteria;
      expect(criteria.map((c) => c.preference)).toEqual(Object.keys(prefs));
      expect(Math.abs(criteria.reduce((s, c) => s + c.weight, 0) - 1)).toBeLessThan(0.01);
    }
    const report = await validateBenchmarkFile(summary.outFile);
    expect(report).toMatchObject({ valid: true, recordCount: 6, warningCount: 0 });
    const state = readState(summary.stateFile);
    expect(state?.plan?.map((p) => p.personaIds.length)).toEqual([2, 2, 2]);
  });

  it('is deterministic: the same seed gives the same bytes at any concurrency; another seed differs', async () => {
    await generate('b', { concurrency: 1 });
    expect(bytes('b')).toBe(bytes('a'));
    await generate('c', { config: config({ seed: 12 }) });
    expect(bytes('c')).not.toBe(bytes('a'));
  });

  it('a limited run stops, the rerun skips what is done and ends with the same bytes as an uninterrupted run', async () => {
    const first = await generate('d', { maxPairs: 3 });
    expect(first).toMatchObject({ done: 3, stopped: 'limit' });
    expect(lines('d')).toHaveLength(4);
    expect((await validateBenchmarkFile(first.outFile)).valid).toBe(true);
    const second = await generate('d');
    expect(second).toMatchObject({ done: 3, skipped: 3, stopped: null });
    expect(bytes('d')).toBe(bytes('a'));
    const third = await generate('d');
    expect(third).toMatchObject({ done: 0, skipped: 6 });
    expect(new Set(lines('d').map((l) => l.problem_id)).size).toBe(7);
  });

  it('refuses to continue a run with different settings, naming them', async () => {
    await expect(generate('a', { config: config({ sampleSize: 2 }) })).rejects.toThrow(GenerationStateError);
    await expect(generate('a', { config: config({ sampleSize: 2 }) })).rejects.toThrow('(sampleSize)');
  });

  it('sparsity: keepPerRecord keeps exactly K preferences and the rubric covers exactly them', async () => {
    await generate('e', {
      config: config({
        preferences: { dimensionsPerProblem: 6, generalDimensions: 2, keepPerRecord: 4, keepStrategy: 'importance' },
      }),
    });
    for (const r of lines('e').slice(1)) {
      const prefs = r.persona_preferences as Record<string, { local_importance: number }>;
      expect(Object.keys(prefs)).toHaveLength(4);
      expect(Math.min(...Object.values(prefs).map((p) => p.local_importance))).toBeGreaterThanOrEqual(2);
      expect((r.evaluation_rubric as { evaluation_criteria: unknown[] }).evaluation_criteria).toHaveLength(4);
    }
  });

  it('a pair whose output never validates is recorded as failed with the reason; the rerun retries it', async () => {
    const scripted = new ScriptedProvider(SCRIPTED_MODEL);
    let victim: string | null = null;
    const flaky: ModelProvider = {
      config: scripted.config,
      isTestModel: true,
      async complete(request: ModelRequest): Promise<ModelResponse> {
        const response = await scripted.complete(request);
        const id = String((request.hint?.persona as { id?: string } | undefined)?.id);
        if (request.purpose === 'preference_instantiation') victim ??= id;
        return request.purpose === 'preference_instantiation' && id === victim
          ? { ...response, text: '{"preferences": {}}' }
          : response;
      },
    };
    const metered = new MeteredProvider(flaky);
    const summary = await generate('f', { provider: metered });
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.done + summary.failed).toBe(6);
    const failures = readFileSync(summary.failuresFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(failures).toHaveLength(summary.failed);
    expect(failures[0]).toMatchObject({
      persona_id: victim,
      stage: 'preferences',
      reason: 'no valid preferences output after 3 tries',
      model: 'scripted',
    });
    expect((failures[0]?.issues as string[])[0]).toMatch(/^attempt 1: \$\.preferences: missing "/);
    expect((await validateBenchmarkFile(summary.outFile)).valid).toBe(true);

    const rerun = await generate('f');
    expect(rerun).toMatchObject({ done: summary.failed, skipped: summary.done, failed: 0 });
    expect(lines('f')).toHaveLength(7);
  });

  it('generates new personas into the library first (resumably), then uses them', async () => {
    const lib = join(dir, 'grown');
    mkdirSync(lib);
    for (const f of readdirSync(PERSONAS).slice(0, 1)) copyFileSync(join(PERSONAS, f), join(lib, f));
    const summary = await generate('g', {
      personas: lib,
      config: config({ personas: { generate: 3 }, personasPerProblem: 4 }),
    });
    expect(summary).toMatchObject({ personasGenerated: 3, done: 12 });
    const state = readState(summary.stateFile);
    expect(state?.personasGenerated).toHaveLength(3);
    for (const id of state?.personasGenerated ?? []) expect(existsSync(join(lib, `${id}.json`))).toBe(true);
    expect(readdirSync(lib)).toHaveLength(4);
    expect((lines('g')[0]?.generator as { personas_generated: string[] }).personas_generated).toEqual(
      state?.personasGenerated,
    );
    const again = await generate('g', {
      personas: lib,
      config: config({ personas: { generate: 3 }, personasPerProblem: 4 }),
    });
    expect(again).toMatchObject({ personasGenerated: 0, done: 0, skipped: 12 });
    expect(readdirSync(lib)).toHaveLength(4);
  });

  it('too few personas for personasPerProblem is a clear error', async () => {
    await expect(generate('h', { config: config({ personasPerProblem: 7 }) })).rejects.toThrow(
      'has 6 personas but personasPerProblem is 7',
    );
  });
});
