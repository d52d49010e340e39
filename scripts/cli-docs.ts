// `npm run docs:cli`: writes every command's --help into README.md's CLI reference (tests/unit/cli-help.test.ts
// fails when the README and the help differ, so a new option cannot go undocumented).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReference, REFERENCE_END, REFERENCE_START, withReference } from '../server/cli/cli-reference.ts';
import { PROJECT_ROOT } from '../server/config.ts';

const file = join(PROJECT_ROOT, 'README.md');
const readme = readFileSync(file, 'utf8');
const updated = withReference(readme, await cliReference());
if (updated === null) {
  process.stderr.write(`${file}: no ${REFERENCE_START} … ${REFERENCE_END} section to fill\n`);
  process.exitCode = 1;
} else {
  writeFileSync(file, updated);
  process.stdout.write(updated === readme ? `${file}: CLI reference already up to date\n` : `updated ${file}\n`);
}
