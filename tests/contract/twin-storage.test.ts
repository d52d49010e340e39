import { join } from 'node:path';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';
import { twinStorageContract } from './twin-storage.contract.ts';

const dir = tempDir();
let n = 0;

// Two connections to one real database file.
twinStorageContract('sqlite', async () => {
  const file = join(dir, `twins-${++n}.sqlite`);
  return [SqliteStorage.open({ file }), SqliteStorage.open({ file })];
});
