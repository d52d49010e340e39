import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../server/config.ts';
import { writeFile } from '../../support/temp-files.ts';

/** Benchmark files a researcher might upload: a small valid one cut from the sample, and a broken one. */

const sampleLines = (): string[] =>
  readFileSync(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

/** The sample's metadata line and its first two records: a valid two-record benchmark. */
export function writeSmallBenchmark(dir: string): string {
  const [metadata, first, second] = sampleLines();
  return writeFile(dir, 'two-records.jsonl', `${[metadata, first, second].join('\n')}\n`);
}

/**
 * Line 2 is a record without its required fields, line 3 is not JSON: the server must name both lines and store
 * nothing.
 */
export function writeBrokenBenchmark(dir: string): string {
  const [metadata] = sampleLines();
  return writeFile(
    dir,
    'broken.jsonl',
    `${metadata}\n{"type":"personalized_problem","problem_id":"p1"}\nthis is not json\n`,
  );
}
