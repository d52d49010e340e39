// `npm run bench`: runs every benchmark, prints a table, and records the results in bench/results/<name>.json, with a
// summary table over all of them in bench/results/summary.md (and .json).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_VERSION } from '../server/version.ts';
import { POSTGRES_SKIP_REASON, postgresInstalled } from '../tests/support/postgres-cluster.ts';
import { batchBench } from './batch.bench.ts';
import { firstPaintBench } from './first-paint.bench.ts';
import { fuzzBench } from './fuzz.bench.ts';
import { importBench } from './import.bench.ts';
import { liveBusyBench } from './live-busy.bench.ts';
import { liveBench, liveFaultsBench } from './live.bench.ts';
import { liveNodesBench } from './live-nodes.bench.ts';
import { statsBench } from './stats.bench.ts';
import type { BenchResult } from './support/bench-result.ts';
import { writeSummary } from './support/bench-summary.ts';

const BENCHES: Record<string, (workDir: string) => Promise<BenchResult>> = {
  import: importBench,
  batch: batchBench,
  stats: statsBench,
  live: liveBench,
  'live-faults': liveFaultsBench,
  'live-busy': liveBusyBench,
  'live-nodes': liveNodesBench,
  fuzz: fuzzBench,
  'first-paint': firstPaintBench,
};
/** Benches that start a PostgreSQL cluster: skipped, saying why, where PostgreSQL is not installed. */
const NEEDS_POSTGRES = new Set(['live-nodes']);
/** Lower limits (a value below one is a miss), for metrics where more is better. */
const FLOORS: Record<string, Record<string, number>> = { batch: { latency_efficiency: 0.95 } };

const only = process.argv.slice(2);
const workDir = mkdtempSync(join(tmpdir(), 'prefdisco-bench-'));
let missed = 0;
try {
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    if (NEEDS_POSTGRES.has(name) && !postgresInstalled) {
      process.stdout.write(`\n${name}: ${POSTGRES_SKIP_REASON}\n`);
      continue;
    }
    const result = await bench(workDir);
    process.stdout.write(`\n${result.name}: ${result.description}\n`);
    for (const [metric, value] of Object.entries(result.metrics)) {
      const target = result.targets[metric];
      const floor = FLOORS[name]?.[metric];
      let verdict = '';
      if (target !== undefined)
        verdict = value <= target ? `  (target ≤ ${target}: met)` : `  (target ≤ ${target}: MISSED)`;
      if (floor !== undefined)
        verdict = value >= floor ? `  (target ≥ ${floor}: met)` : `  (target ≥ ${floor}: MISSED)`;
      if ((target !== undefined && value > target) || (floor !== undefined && value < floor)) missed += 1;
      process.stdout.write(`  ${metric.padEnd(28)} ${value.toFixed(value < 10 ? 2 : 0)}${verdict}\n`);
    }
    const record = {
      ...result,
      floors: FLOORS[name] ?? {},
      app_version: APP_VERSION,
      node: process.version,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? '',
      date: new Date().toISOString(),
    };
    writeFileSync(join(import.meta.dirname, 'results', `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
  // The table over every bench's latest result, this run's and earlier ones (bench/results/summary.md and .json).
  const summary = writeSummary(join(import.meta.dirname, 'results'), FLOORS);
  process.stdout.write(`\nsummary: ${summary.file}\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
process.exitCode = missed > 0 ? 1 : 0;
