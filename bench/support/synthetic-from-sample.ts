import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';

/**
 * A benchmark of `count` records made by repeating the shipped sample's records with distinct problem ids
 * (problem_{copy·16+i}_…), so every record is unique and realistic in size and shape.
 */
export function writeBenchmarkFromSample(samplePath: string, out: string, count: number): void {
  const lines = readFileSync(samplePath, 'utf8').trim().split('\n');
  const metadata = lines[0] ?? '{}';
  const records = lines.slice(1).map((l) => JSON.parse(l) as BenchmarkRecord);
  const output = [metadata];
  for (let i = 0; i < count; i++) {
    const base = records[i % records.length] as BenchmarkRecord;
    const copy = Math.floor(i / records.length);
    const index = Number(/^problem_(\d+)_/.exec(base.problem_id)?.[1] ?? 0) + copy * 100;
    output.push(JSON.stringify({ ...base, problem_id: `problem_${index}_${base.persona.id}` }));
  }
  writeFileSync(out, `${output.join('\n')}\n`);
}
