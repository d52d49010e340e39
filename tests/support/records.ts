import { readFileSync } from 'node:fs';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';

/** An invented example record, in the exact reference shape. */
export const REFERENCE_EXAMPLE_FILE = new URL('../fixtures/reference-example.jsonl', import.meta.url).pathname;

export function referenceExample(): BenchmarkRecord {
  return JSON.parse(readFileSync(REFERENCE_EXAMPLE_FILE, 'utf8')) as BenchmarkRecord;
}

/** A valid record with a given problem index and persona id, derived from the reference example. */
export function exampleRecord(index: number, personaId = 'okafor_3fa9c21b'): BenchmarkRecord {
  const record = referenceExample();
  record.problem_id = `problem_${index}_${personaId}`;
  record.persona = { ...record.persona, id: personaId };
  return record;
}
