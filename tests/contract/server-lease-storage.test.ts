import { join } from 'node:path';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';
import { serverLeaseContract } from './server-lease-storage.contract.ts';

const dir = tempDir();
let n = 0;

// Two connections to one real database file, as two server processes would have.
serverLeaseContract('sqlite', async () => {
  const file = join(dir, `lease-${++n}.sqlite`);
  return [SqliteStorage.open({ file }), SqliteStorage.open({ file })];
});
