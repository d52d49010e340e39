import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import type { ModelLookup } from '../../server/services/research/run-options.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { signInResearcher } from './auth-helpers.ts';
import { openSocket, type TestSocket } from './live-app.ts';
import { openSampleStorage } from './sample-storage.ts';

/**
 * The real app as a study runs it, live services and all as the app builds them: a real SQLite file prepared as a
 * fresh install (the sample study imported), the scripted model as the only model, listening on port 0, with a
 * researcher signed in. Sockets opened through it are closed with it.
 */
export interface ScriptedStudyApp {
  app: FastifyInstance;
  storage: Storage;
  url: string;
  /** The imported sample benchmark's study. */
  sampleStudyId: string;
  /** The signed-in researcher's cookie header. */
  researcher: string;
  /** The signed-in researcher's id: the install's first account, owner of the sample study. */
  researcherId: string;
  /** A Socket.IO connection with `cookie`, as the participant's browser opens it. */
  socket(cookie: string): Promise<TestSocket>;
  close(): Promise<void>;
}

export async function startScriptedStudyApp(dbFile: string): Promise<ScriptedStudyApp> {
  const storage = await openSampleStorage(dbFile);
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const models: ModelLookup = { names: () => ['scripted'], get: () => scripted };
  const app = await buildApp({
    config: { clientDir: join(dbFile, '..', 'no-client'), runsDir: join(dbFile, '..', 'runs') },
    storage,
    models,
    rateLimits: { loginPerMinute: 10_000, joinPerMinute: 10_000 },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const sampleStudyId = (await storage.findStudyByName('Sample benchmark'))?.id ?? '';
  const signedIn = await signInResearcher({ app, storage });
  const researcher = signedIn.cookie;
  const sockets: TestSocket[] = [];
  return {
    app,
    storage,
    url,
    sampleStudyId,
    researcher,
    researcherId: signedIn.researcherId,
    socket: async (cookie) => {
      const socket = await openSocket(url, cookie);
      sockets.push(socket);
      return socket;
    },
    close: async () => {
      for (const s of sockets) s.close();
      await app.close();
      await storage.close();
    },
  };
}
