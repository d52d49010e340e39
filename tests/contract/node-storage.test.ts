import { join } from 'node:path';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';
import { nodeStorageContract } from './node-storage.contract.ts';

const dir = tempDir();
let n = 0;

// Two connections to one real database file, as two server processes would have.
nodeStorageContract('sqlite', async () => {
  const file = join(dir, `nodes-${++n}.sqlite`);
  return [SqliteStorage.open({ file }), SqliteStorage.open({ file })];
});
