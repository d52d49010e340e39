import { join } from 'node:path';
import type { AppDeps } from './app.ts';
import { PROJECT_ROOT, secretFromEnv } from './config.ts';
import type { ModelProvider } from './models/model-provider.ts';
import { LiveSessions } from './services/live/live-sessions.ts';
import type { LiveBroadcast } from './services/live/live-types.ts';
import type { Logger } from './services/logger.ts';
import { BatchRuns } from './services/research/batch-runs.ts';
import { declaredModels } from './services/research/declared-models.ts';
import type { ModelLookup } from './services/research/run-options.ts';
import { createStudyWork, type StudyWork } from './services/studies/study-work-service.ts';

/** The services the app's routes and socket handlers call; built once per app. */
export interface AppServices {
  models: ModelLookup;
  work: StudyWork;
  batchRuns: BatchRuns;
  live: LiveSessions;
  /** The models of live play (the declared ones unless a test swaps them). */
  liveModel: (name: string) => ModelProvider;
}

export interface ServiceContext {
  /** The app's logger (Fastify's pino); services log through children bound to a study, episode or run. */
  log: Logger;
  /** How live play reaches the people in an episode (Socket.IO rooms). */
  broadcast: LiveBroadcast;
}

/**
 * Builds the services from the app's dependencies. Nothing here knows HTTP or sockets, and nothing here takes over
 * what a previous process left: runs left 'running' and live episodes are recovered by main.ts once the server holds
 * the database's lease and listens (`batchRuns.recover()`, `live.recover()`).
 */
export async function buildServices(deps: AppDeps, context: ServiceContext): Promise<AppServices> {
  // One model registry for the whole app, so each model's concurrency limit and spend cap hold across live play,
  // browser-started batch runs and study settings.
  const models = deps.models ?? declaredModels(deps.config.modelsFile, (v) => secretFromEnv(v));
  const work = createStudyWork({
    storage: deps.storage,
    isDeclaredModel: deps.isDeclaredModel ?? ((name) => models.names().includes(name)),
  });
  // Researcher API (docs/researcher-api.md). Running runs are stopped before close, with their progress stored, and
  // resume when started again with the same options.
  const batchRuns = new BatchRuns({
    storage: deps.storage,
    models,
    runsDir: deps.config.runsDir ?? join(PROJECT_ROOT, 'data', 'runs'),
    log: context.log,
  });
  const liveModel = deps.live?.model ?? ((name: string) => models.get(name));
  const live = new LiveSessions({
    storage: deps.storage,
    model: liveModel,
    queue: deps.live?.queue ?? work.playQueue,
    broadcast: context.broadcast,
    log: context.log,
    // Live answers and their simulated twins go to the study's raters (blinded) as soon as they exist.
    onAnswered: async (studyId, episodeId) => {
      await work.addRatingCandidates(studyId, [episodeId]);
    },
  });
  return { models, work, batchRuns, live, liveModel };
}
