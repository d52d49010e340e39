import type { PromptSet } from '../../engine/prompt-library.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import type { Storage } from '../../storage/storage.ts';
import { TWIN_JOB_KIND } from '../live/twin-episode.ts';
import { twinJobHandler } from '../live/twin-job.ts';
import { BATCH_RUN_JOB, batchRunJobHandler, type BatchRunJobDeps } from '../research/batch-run-job.ts';
import type { ModelLookup } from '../research/run-options.ts';
import type { JobHandler } from './job-runner.ts';

/** What job handlers may use: the Storage and model registry of the thread that runs them. */
export interface JobHandlerDeps {
  storage: Storage;
  models: ModelLookup;
  /** Live play's models where an app swaps them (tests); default: `models`. Simulated twins run with these. */
  liveModel?: (name: string) => ModelProvider;
  /** A study's prompt pack by folder (a twin uses the pack its live episode pinned); absent: built-in prompts only. */
  prompts?: (folder: string) => PromptSet;
  /** A finished answer (a twin's) joins its study's rating queue. */
  onAnswered?: (studyId: string, episodeId: string) => Promise<void>;
  /** How often a batch run's progress is written to its row (default 1 s). */
  persistEveryMs?: number;
  /** On PostgreSQL: batch runs are split into chunks on the shared job queue (batch-run-job.ts). */
  sharedRuns?: BatchRunJobDeps['sharedRuns'];
}

/** Every kind of background job and its handler; the research worker claims exactly these kinds. */
export function jobHandlers(deps: JobHandlerDeps): Record<string, JobHandler> {
  return {
    [BATCH_RUN_JOB]: batchRunJobHandler(deps),
    [TWIN_JOB_KIND]: twinJobHandler({
      storage: deps.storage,
      model: deps.liveModel ?? ((name) => deps.models.get(name)),
      ...(deps.prompts ? { prompts: deps.prompts } : {}),
      ...(deps.onAnswered ? { onAnswered: deps.onAnswered } : {}),
    }),
  };
}
