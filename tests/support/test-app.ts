import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../server/app.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { prepareData } from '../../server/services/prepare-data.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';

export interface TestApp {
  app: FastifyInstance;
  storage: Storage;
  close(): Promise<void>;
}

/** The real app on a real SQLite file, prepared as `npm start` prepares it (persona library + sample import). */
export async function startTestApp(
  dir: string,
  options: { clientDir?: string; secureCookies?: boolean; rateLimits?: AppDeps['rateLimits'] } = {},
): Promise<TestApp> {
  const storage = SqliteStorage.open({ file: join(dir, `app-${Date.now()}-${Math.random()}.sqlite`) });
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
  const app = await buildApp({
    config: {
      clientDir: options.clientDir ?? join(dir, 'no-client'),
      ...(options.secureCookies ? { secureCookies: true } : {}),
    },
    storage,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  return {
    app,
    storage,
    close: async () => {
      await app.close();
      await storage.close();
    },
  };
}
