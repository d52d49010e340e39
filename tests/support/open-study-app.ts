import { join } from 'node:path';
import { afterEach } from 'vitest';
import { LiveStudySettingsSchema } from '../../shared/schemas/live-study.ts';
import { studyPlayQueue } from '../../server/services/studies/play-queue.ts';
import { startLiveApp, type LiveApp } from './live-app.ts';

/**
 * The real app on a fresh database at `dbPath`, with the studies' own play queue (leases), its sample study open with
 * every record × the scripted model as play units. The caller closes it.
 */
export async function startOpenStudyApp(dbPath: string): Promise<LiveApp> {
  const app = await startLiveApp(dbPath, {
    queue: (storage) => studyPlayQueue({ storage, isDeclaredModel: () => true, now: () => new Date() }),
  });
  const problemIds = await app.storage.work.listProblemIds(app.studyId);
  await app.storage.work.saveSettings(
    app.studyId,
    LiveStudySettingsSchema.parse({
      status: 'open',
      models: ['scripted'],
      judgeModel: 'scripted',
      simulatorModel: 'scripted',
    }),
    new Date(),
    problemIds.map((problemId) => ({ problemId, model: 'scripted' })),
  );
  return app;
}

/** Something a test opened and the afterEach hook closes (an app, a socket). */
export interface Closable {
  close(): Promise<void> | void;
}

/**
 * Registers an afterEach that closes, newest first, everything pushed on `open`; `studyApp()` starts an open-study app
 * on its own database file in `dir` (named `<prefix>-<n>.sqlite`) and pushes it.
 */
export function openStudyAppsPerTest(dir: string, prefix: string): { studyApp(): Promise<LiveApp>; open: Closable[] } {
  let n = 0;
  const open: Closable[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });
  return {
    open,
    studyApp: async () => {
      const app = await startOpenStudyApp(join(dir, `${prefix}-${++n}.sqlite`));
      open.push(app);
      return app;
    },
  };
}
