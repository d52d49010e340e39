// `npm run build:sample`: regenerate data/sample-benchmark.jsonl from data/sample-src/ and personas/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/config.ts';
import { loadPersonaLibrary } from '../server/services/persona-library.ts';
import { buildSampleBenchmark } from './sample-benchmark/build.ts';

const personas = await loadPersonaLibrary(join(PROJECT_ROOT, 'personas'));
const text = buildSampleBenchmark(join(PROJECT_ROOT, 'data', 'sample-src'), personas);
const out = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');
writeFileSync(out, text);
process.stdout.write(`wrote ${out}: ${text.trim().split('\n').length - 1} records\n`);
