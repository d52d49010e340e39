import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importBenchmarkFile } from '../server/services/benchmark/import-benchmark-file.ts';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage.ts';
import { DbWatch } from '../tests/support/fuzz/db-watch.ts';
import { baseBenchmarkLines, fuzzBenchmarkFiles } from '../tests/support/fuzz/fuzz-benchmark-files.ts';
import { once } from 'node:events';
import { percentile, probeHealth, type AttackResult } from '../tests/support/fuzz/fuzz-flood.ts';
import { fuzzHttp } from '../tests/support/fuzz/fuzz-http.ts';
import { countKind, describeFailures, type FuzzRun } from '../tests/support/fuzz/fuzz-report.ts';
import { fuzzSocket } from '../tests/support/fuzz/fuzz-socket.ts';
import { startFuzzTarget } from '../tests/support/fuzz/fuzz-target.ts';
import type { BenchResult } from './support/bench-result.ts';
import { fuzzBenchConfig } from './support/fuzz-config.ts';
import { forkTs } from './support/live-phase.ts';

/**
 * The fuzz harness of `npm test` (tests/support/fuzz/) at a large size: HTTP routes and socket events against the real
 * app on loopback, and mutated benchmark files through validate and import. Targets: no crash or hang, no undefined
 * answer, nothing stored by a refused request, and a healthy server afterwards.
 */
export async function fuzzBench(workDir: string): Promise<BenchResult> {
  const { cases, seed } = fuzzBenchConfig();
  const httpCases = Math.round(cases * 0.4);
  const socketCases = Math.round(cases * 0.4);
  const fileCases = cases - httpCases - socketCases;

  const target = await startFuzzTarget();
  let http: FuzzRun;
  let socket: FuzzRun;
  let unhealthy: string[];
  let flood: AttackResult & Awaited<ReturnType<typeof probeHealth>>;
  try {
    http = await fuzzHttp(target, { seed, cases: httpCases });
    socket = await fuzzSocket(target, { seed, cases: socketCases });
    // The body attacks (docs/security.md, Limits): three streams of deep JSON and 200 slow bodies, health probed.
    // The attacker runs in its own process (bench/support/flood-worker.ts), as a real one would.
    const attacker = forkTs('flood-worker.ts', { FLOOD_URL: target.url, FLOOD_MS: '10000' });
    const attacked = once(attacker, 'message') as Promise<[AttackResult]>;
    const probed = await probeHealth(target.url, 10_000);
    flood = { ...(await attacked)[0], ...probed };
    unhealthy = await target.problems();
  } finally {
    await target.close();
  }

  const dir = mkdtempSync(join(workDir, 'fuzz-files-'));
  const storage = SqliteStorage.open({ file: join(dir, 'files.sqlite') });
  const base = join(dir, 'base.jsonl');
  writeFileSync(base, `${baseBenchmarkLines().join('\n')}\n`);
  await importBenchmarkFile(storage, base, { study: 'Fuzz import 0', skipImages: true });
  const db = new DbWatch(join(dir, 'files.sqlite'));
  let files: FuzzRun;
  try {
    files = await fuzzBenchmarkFiles({ storage, db, dir, seed, cases: fileCases });
  } finally {
    db.close();
    await storage.close();
  }

  const runs = [http, socket, files];
  for (const line of runs.flatMap((r) => describeFailures(r, 10))) process.stdout.write(`  ${line}\n`);
  for (const problem of unhealthy) process.stdout.write(`  after fuzzing: ${problem}\n`);
  const perSecond = (r: FuzzRun): number => r.cases / (r.ms / 1000);
  const deepTotal = Object.values(flood.deepAnswers).reduce((a, b) => a + b, 0);
  const deepRefused =
    (flood.deepAnswers['400 invalid_payload'] ?? 0) + (flood.deepAnswers['413 payload_too_large'] ?? 0);
  process.stdout.write(`  deep JSON answers: ${JSON.stringify(flood.deepAnswers)}\n`);
  return {
    name: 'fuzz',
    description:
      `${cases} seeded fuzz cases (seed ${seed}): ${httpCases} HTTP, ${socketCases} socket, ${fileCases} benchmark ` +
      'files; then 10 s of 3 deep-JSON streams (10 MB and 1 KB bodies to the unauthenticated logout) and 200 slow ' +
      'bodies while /api/health is probed every 20 ms',
    metrics: {
      cases,
      crashes: runs.reduce((s, r) => s + countKind(r, 'crash'), 0),
      undefined_answers: runs.reduce((s, r) => s + countKind(r, 'undefined'), 0),
      partial_writes: runs.reduce((s, r) => s + countKind(r, 'partial'), 0),
      unhealthy_after: unhealthy.length,
      cases_per_s: cases / (runs.reduce((s, r) => s + r.ms, 0) / 1000),
      http_cases_per_s: perSecond(http),
      socket_cases_per_s: perSecond(socket),
      file_cases_per_s: perSecond(files),
      flood_health_p50_ms: percentile(flood.healthMs, 50),
      flood_health_p99_ms: percentile(flood.healthMs, 99),
      flood_health_failures: flood.healthFailures,
      flood_deep_posts: deepTotal,
      flood_deep_not_refused: deepTotal - deepRefused - (flood.deepAnswers['closed early'] ?? 0),
      flood_deep_max_ms: flood.deepMaxMs,
    },
    targets: {
      crashes: 0,
      undefined_answers: 0,
      partial_writes: 0,
      unhealthy_after: 0,
      flood_health_p99_ms: 50,
      flood_health_failures: 0,
      flood_deep_not_refused: 0,
    },
  };
}
