import { join } from 'node:path';
import type { AppDeps } from './app.ts';
import { PROJECT_ROOT, secretFromEnv } from './config.ts';
import type { ModelProvider } from './models/model-provider.ts';
import { LiveSessions } from './services/live/live-sessions.ts';
import type { LiveBroadcast } from './services/live/live-types.ts';
import type { Logger } from './services/logger.ts';
import { inProcessJobHost, type JobHost } from './services/jobs/job-host.ts';
import { jobHandlers } from './services/jobs/job-handlers.ts';
import { JobRunner } from './services/jobs/job-runner.ts';
import { BatchRuns } from './services/research/batch-runs.ts';
import { declaredModels } from './services/research/declared-models.ts';
import type { ModelLookup } from './services/research/run-options.ts';
import { studyPromptPacks, type StudyPromptPacks } from './services/studies/study-prompt-packs.ts';
import { createStudyWork, type StudyWork } from './services/studies/study-work-service.ts';

/** The services the app's routes and socket handlers call; built once per app. */
export interface AppServices {
  models: ModelLookup;
  work: StudyWork;
  batchRuns: BatchRuns;
  live: LiveSessions;
  /** Where background jobs (batch runs, …) run: the research worker thread in the server (closed before the app). */
  jobs: JobHost;
  /** The prompt packs studies may name (PREFDISCO_PROMPTS_DIR). */
  promptPacks: StudyPromptPacks;
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
  const promptPacks = studyPromptPacks(deps.config.promptsDir ?? join(PROJECT_ROOT, 'data', 'prompts'));
  const work = createStudyWork({
    storage: deps.storage,
    promptPacks,
    isDeclaredModel: deps.isDeclaredModel ?? ((name) => models.names().includes(name)),
  });
  // Background jobs run on the research worker thread main.ts starts; an app built without one (tests that pass their
  // own models, which a thread cannot share) runs them on this thread, through the same runner and handlers.
  const liveModel = deps.live?.model ?? ((name: string) => models.get(name));
  const jobs =
    deps.researchWorker?.(context.log) ??
    inProcessJobHost(
      new JobRunner({
        jobs: deps.storage.jobs,
        handlers: jobHandlers({
          storage: deps.storage,
          models,
          liveModel,
          prompts: (folder) => promptPacks.load(folder),
          onAnswered: async (studyId, episodeId) => void (await work.addRatingCandidates(studyId, [episodeId])),
        }),
        log: context.log,
      }),
    );
  // Researcher API (docs/researcher-api.md). A run is a job: stopped at close and left resumable, with its progress
  // stored; a new run with the same options resumes from its results file.
  const batchRuns = new BatchRuns({
    storage: deps.storage,
    models,
    runsDir: deps.config.runsDir ?? join(PROJECT_ROOT, 'data', 'runs'),
    log: context.log,
    jobs,
  });
  const live = new LiveSessions({
    storage: deps.storage,
    model: liveModel,
    queue: deps.live?.queue ?? work.playQueue,
    broadcast: context.broadcast,
    log: context.log,
    // Simulated twins are jobs: the host claims one as soon as it is recorded.
    wakeJobs: () => jobs.wake(),
    // Live episodes load their study's pack at start and keep it (pinned by name and hash) through a resume.
    prompts: (folder) => promptPacks.load(folder),
    ...(deps.live?.storageRetryWindowMs !== undefined ? { storageRetryWindowMs: deps.live.storageRetryWindowMs } : {}),
    ...(deps.node ? { node: deps.node } : {}),
    // Live answers and their simulated twins go to the study's raters (blinded) as soon as they exist.
    onAnswered: async (studyId, episodeId, held) => {
      await (held ? work.addHeldEpisode(studyId, held) : work.addRatingCandidates(studyId, [episodeId]));
    },
  });
  return { models, work, batchRuns, live, jobs, liveModel, promptPacks };
}
