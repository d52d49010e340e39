import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { lazyPool } from '../../server/services/thread-pool.ts';
import { captureLog } from '../support/capture-log.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-thread-pool-');

describe('a pool thread that fails outside any task', () => {
  it('is logged, and the process and the pool go on', async () => {
    // A task that answers, then throws on the thread once nobody waits on it (as a thread whose late import fails):
    // piscina emits that as the pool's 'error' event, which ends the process when nobody listens.
    const entry = join(dir, 'late-throw.mjs');
    writeFileSync(
      entry,
      `export default async function (n) {
        if (n === 1) setTimeout(() => { throw new Error('late failure on the thread'); }, 20);
        return n * 2;
      }`,
    );
    const lines: string[] = [];
    const pool = lazyPool<number, number>({
      entry: pathToFileURL(entry),
      log: captureLog(lines),
      idleTimeoutMs: 5_000,
    });
    try {
      expect(await pool.run(1)).toBe(2);
      for (let waited = 0; waited < 5_000 && lines.length === 0; waited += 50) await sleep(50);
      expect(lines).toEqual(['a worker thread failed outside a task']);
      // The failed thread is replaced: the next task still runs.
      expect(await pool.run(2)).toBe(4);
    } finally {
      await pool.close();
    }
  });
});
