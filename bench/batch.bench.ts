import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../server/config.ts';
import { SCRIPTED_MODEL } from '../server/models/model-registry.ts';
import { ScriptedProvider } from '../server/models/scripted/scripted-provider.ts';
import { runBatch, type BatchRunOptions } from '../server/services/evaluation/batch-run.ts';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage.ts';
import type { BenchResult } from './support/bench-result.ts';
import { DelayedProvider } from './support/delayed-provider.ts';
import { writeBenchmarkFromSample } from './support/synthetic-from-sample.ts';

const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');

function options(workDir: string, name: string, over: Partial<BatchRunOptions>): BatchRunOptions {
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  return {
    benchmarkFile: join(workDir, `${name}.jsonl`),
    outFile: join(workDir, `${name}-results.jsonl`),
    models: { assistant: scripted, judge: scripted, simulator: scripted },
    modes: ['no_prompt', 'persona_known', 'infer_persona'],
    userTypes: ['passive_nostop'],
    maxTurns: 5,
    fixedQuestions: null,
    maxProblems: null,
    seed: 42,
    shard: null,
    concurrency: 16,
    referenceQuirks: false,
    skipImages: false,
    storage: null,
    signal: new AbortController().signal,
    ...over,
  };
}

/**
 * (a) The scripted model on a 5,000-record benchmark × 3 conditions, episodes stored in SQLite and results written:
 *     target under 60 s on 2 cores.
 * (b) Orchestration overhead: every call of the scripted model delayed by 200 ms, 64 episodes at a time.
 *     Ideal time = calls × 200 ms / 64 (perfect packing, zero overhead); efficiency = ideal / actual, target ≥ 0.95.
 */
export async function batchBench(workDir: string): Promise<BenchResult> {
  writeBenchmarkFromSample(SAMPLE, join(workDir, 'batch5000.jsonl'), 5000);
  const storage = SqliteStorage.open({ file: join(workDir, 'batch.sqlite') });
  let t = performance.now();
  const a = await runBatch(options(workDir, 'batch5000', { storage }));
  const scriptedSeconds = (performance.now() - t) / 1000;
  await storage.close();
  if (a.done !== 15_000) throw new Error(`expected 15000 episodes, got ${a.done} (${a.failed} failed)`);

  const latencyMs = 200;
  const concurrency = 64;
  writeBenchmarkFromSample(SAMPLE, join(workDir, 'latency.jsonl'), 192);
  const delayed = new DelayedProvider(new ScriptedProvider(SCRIPTED_MODEL), latencyMs);
  t = performance.now();
  const b = await runBatch(
    options(workDir, 'latency', { concurrency, models: { assistant: delayed, judge: delayed, simulator: delayed } }),
  );
  const actualMs = performance.now() - t;
  if (b.done !== 576) throw new Error(`expected 576 episodes, got ${b.done}`);
  const idealMs = (delayed.calls * latencyMs) / concurrency;

  return {
    name: 'batch',
    description:
      '(a) scripted model, 5,000 records × 3 conditions, stored in SQLite; (b) 200 ms per call, 64 concurrent episodes, 192 records × 3 conditions',
    metrics: {
      scripted_5000x3_seconds: scriptedSeconds,
      scripted_episodes_per_second: 15_000 / scriptedSeconds,
      latency_calls: delayed.calls,
      latency_ideal_seconds: idealMs / 1000,
      latency_actual_seconds: actualMs / 1000,
      latency_efficiency: idealMs / actualMs,
    },
    targets: { scripted_5000x3_seconds: 60 },
  };
}
