import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/config.ts';
import { importBenchmarkFile } from '../server/services/benchmark/import-benchmark-file.ts';
import { readJsonlLines } from '../server/services/benchmark/read-jsonl-lines.ts';
import { validateBenchmarkFile } from '../server/services/benchmark/validate-benchmark-file.ts';
import { loadPersonaLibrary } from '../server/services/persona-library.ts';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage.ts';
import type { BenchResult } from './support/bench-result.ts';
import { median, timed } from './support/bench-result.ts';
import { writeSyntheticBenchmark } from './support/synthetic-benchmark.ts';

const RECORDS = 5_000;
const RUNS = 3;

/**
 * Target: a 5,000-record benchmark file validated and imported in under 5 s.
 * Baseline in the same process: streaming the file's lines and JSON.parse of each, the least any validator must do;
 * the ratio shows what the schema and cross-field checks add on top.
 */
export async function importBench(workDir: string): Promise<BenchResult> {
  const personas = await loadPersonaLibrary(join(PROJECT_ROOT, 'personas'));
  const file = join(workDir, 'bench-5000.jsonl');
  const bytes = await writeSyntheticBenchmark(file, personas, RECORDS);

  const baseline: number[] = [];
  const validate: number[] = [];
  const importRun: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    baseline.push(
      await timed(async () => {
        let n = 0;
        for await (const line of readJsonlLines(file))
          if (line.kind === 'text' && line.text) n += JSON.parse(line.text) ? 1 : 0;
        if (n !== RECORDS + 1) throw new Error(`baseline parsed ${n} lines`);
      }),
    );
    validate.push(
      await timed(async () => {
        const report = await validateBenchmarkFile(file);
        if (!report.valid || report.recordCount !== RECORDS)
          throw new Error(`validation failed: ${report.issues[0]?.message}`);
      }),
    );
    const storage = SqliteStorage.open({ file: join(workDir, `bench-import-${run}.sqlite`) });
    importRun.push(
      await timed(async () => {
        // As `prefdisco import` into a database no server serves: the short transactions follow each other at once.
        // (A served import pauses between them for the live loop's writes: bench:live-busy's import_seconds.)
        const { outcome } = await importBenchmarkFile(storage, file, { study: 'Bench', yieldToOtherWriters: false });
        if (outcome.recordsAdded !== RECORDS) throw new Error(`imported ${outcome.recordsAdded}`);
      }),
    );
    await storage.close();
  }
  const validateMs = median(validate);
  const importMs = median(importRun);
  return {
    name: 'import',
    description: `validate and import a ${RECORDS}-record benchmark file (${(bytes / 1e6).toFixed(1)} MB, 20 preferences per record)`,
    metrics: {
      baseline_parse_ms: median(baseline),
      validate_ms: validateMs,
      validate_and_import_ms: importMs,
      validate_vs_parse_ratio: validateMs / median(baseline),
      records_per_second: RECORDS / (importMs / 1000),
    },
    targets: { validate_ms: 5000, validate_and_import_ms: 5000 },
  };
}
