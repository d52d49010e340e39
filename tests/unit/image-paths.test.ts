import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBenchmarkFile } from '../../server/services/benchmark/validate-benchmark-file.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir } from '../support/temp-files.ts';

// Image paths resolve only inside the images/ folder next to the benchmark; anything else is "not found", worded
// exactly like a file that does not exist, so validation cannot be used to probe the server's files.
const dir = tempDir();
mkdirSync(join(dir, 'images', 'sub'), { recursive: true });
writeFileSync(join(dir, 'images', 'ok.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
writeFileSync(join(dir, 'beside.png'), 'x');
symlinkSync('/etc/passwd', join(dir, 'images', 'to-passwd.png'));
symlinkSync('/etc/no-such-file-here', join(dir, 'images', 'to-missing.png'));
symlinkSync(join(dir, 'images', 'ok.png'), join(dir, 'images', 'inside-link.png'));
let n = 0;

async function imageIssue(image: string): Promise<string | null> {
  const record = exampleRecord(0);
  record.original_problem.image = image;
  const file = join(dir, `image-${++n}.jsonl`);
  writeFileSync(file, jsonl([record]));
  const report = await validateBenchmarkFile(file);
  const issues = report.issues.filter((i) => i.severity === 'error');
  if (issues.length === 0) return null;
  expect(issues.map((i) => [i.code, i.path])).toEqual([['missing_image', '$.original_problem.image']]);
  return issues[0]?.message.replace(`"${image}"`, '"<image>"') ?? null;
}

describe('image paths in benchmark records', () => {
  it('are found inside images/ next to the benchmark (also through a symlink that stays inside)', async () => {
    expect(await imageIssue('images/ok.png')).toBeNull();
    expect(await imageIssue('images/sub/../ok.png')).toBeNull();
    expect(await imageIssue('images/inside-link.png')).toBeNull();
  });

  it('outside it — absolute, .., a symlink out, a file beside the benchmark — are "not found" like a missing file', async () => {
    const missing = await imageIssue('images/missing.png');
    expect(missing).toBe(
      'image file "<image>" not found in the images/ folder next to the benchmark (use --skip-images to skip this check)',
    );
    for (const image of [
      '/etc/passwd',
      '/etc/no-such-file-here',
      '../../../../../../etc/passwd',
      'images/../../../../../../etc/passwd',
      'images/to-passwd.png',
      'images/to-missing.png',
      'beside.png',
      'images',
      'images/sub',
      'images/ok.png\0.txt',
    ]) {
      expect(await imageIssue(image), image).toBe(missing);
    }
  });
});
