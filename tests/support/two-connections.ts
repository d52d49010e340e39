import { join } from 'node:path';
import { afterEach } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from './temp-files.ts';

/**
 * Registers an afterEach that closes what the test opened, and returns a function giving two connections to a new
 * real database file (named `<prefix>-<n>.sqlite`): as two server processes, or a server's loop and its worker thread.
 */
export function twoConnectionsPerTest(prefix: string): () => [SqliteStorage, SqliteStorage] {
  const dir = tempDir();
  let n = 0;
  const open: SqliteStorage[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  return () => {
    const file = join(dir, `${prefix}-${++n}.sqlite`);
    const pair: [SqliteStorage, SqliteStorage] = [SqliteStorage.open({ file }), SqliteStorage.open({ file })];
    open.push(...pair);
    return pair;
  };
}
