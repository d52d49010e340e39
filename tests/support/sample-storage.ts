import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';
import { prepareData } from '../../server/services/prepare-data.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';

/** A real SQLite file prepared as a fresh install prepares it: the persona library and the sample study imported. */
export async function openSampleStorage(file: string): Promise<SqliteStorage> {
  const storage = SqliteStorage.open({ file });
  await prepareData(
    storage,
    {
      personasDir: join(PROJECT_ROOT, 'personas'),
      sampleFile: join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'),
      sampleStudy: 'Sample benchmark',
      seedSample: true,
    },
    { info: () => undefined },
  );
  return storage;
}
