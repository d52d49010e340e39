import { randomUUID } from 'node:crypto';
import { personaIdOf } from '../../../shared/benchmark/record-checks.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../engine/episode-errors.ts';
import { EpisodeLog } from '../../engine/episode-log.ts';
import { runEpisode, type EpisodeSpec } from '../../engine/episode-runner.ts';
import type { ModelImage } from '../../models/model-provider.ts';
import type { Storage } from '../../storage/storage.ts';
import { readImage } from '../benchmark/image-file.ts';
import type { BatchPlan } from './batch-plan.ts';
import { batchParticipants, buildProvenance, type EvaluationModels } from './episode-setup.ts';
import { episodeSummary } from './episode-summary.ts';
import type { Job } from './job-plan.ts';
import { appendJsonLine } from './result-files.ts';
import { resultLine } from './result-line.ts';
import type { SharedBaselines } from './shared-baseline.ts';

/** What every episode of a run shares. */
export interface EpisodeContext {
  plan: BatchPlan;
  runId: string | null;
  models: EvaluationModels;
  storage: Storage | null;
  /** `--share-baseline`: the answers shared by the baseline episodes of a problem; null when off. */
  baselines: SharedBaselines | null;
  /** Where an ended episode's line goes; absent: appended to the plan's results and failures files. */
  lines?: EpisodeLines;
}

/**
 * Where the lines of ended episodes go. A run on one process appends them to its files; a run shared through the job
 * queue stores them in the database, from which its files are written when the run ends (services/batch-queue/).
 */
export interface EpisodeLines {
  result(job: Job, line: object, episodeId: string): Promise<void>;
  failure(job: Job, line: object, episodeId: string | null): Promise<void>;
}

/** The one-process default: each line is on disk as soon as its episode ends. */
function fileLines(plan: BatchPlan): EpisodeLines {
  return {
    result: async (_job, line) => appendJsonLine(plan.outFile, line),
    failure: async (_job, line) => appendJsonLine(plan.failuresFile, line),
  };
}

export type EpisodeOutcome = 'done' | 'failed' | 'aborted';

/**
 * Phase 4: one episode of the run. A finished one is appended to the results file (reference format), a failed one to
 * the failures file with its reason; either way, and when aborted, it is stored with its event log. Errors that are
 * not the episode's own (a bug, storage failing) are thrown.
 */
export async function runBatchEpisode(job: Job, ctx: EpisodeContext, signal: AbortSignal): Promise<EpisodeOutcome> {
  const { plan } = ctx;
  const lines = ctx.lines ?? fileLines(plan);
  const models =
    ctx.baselines && job.mode === 'no_prompt'
      ? { ...ctx.models, assistant: ctx.baselines.assistant(ctx.models.assistant) }
      : ctx.models;
  const episodeId = randomUUID();
  const startedAt = new Date().toISOString();
  const simulatorUsed = job.mode === 'infer_persona';
  const provenance = buildProvenance(
    job.record,
    models,
    simulatorUsed,
    plan.settings,
    plan.benchmark.sha256,
    plan.prompts,
  );
  const log = new EpisodeLog();
  const { maxTurns, fixedQuestions, referenceQuirks } = plan.settings;
  const integralFloats = plan.benchmark.floatsOf?.(job.record);
  const imageFile = plan.images?.files.get(job.record);
  let openingImage: ModelImage | undefined;
  try {
    openingImage = imageFile ? await readImage(imageFile) : undefined;
  } catch (error) {
    // Found when the run was planned, gone or unreadable now: this episode fails; a rerun tries it again.
    await lines.failure(
      job,
      {
        problem_id: job.record.problem_id,
        persona_id: personaIdOf(job.record),
        mode: job.mode,
        user_type: job.userType,
        stage: 'image',
        code: 'image_unreadable',
        reason: `the image could not be read: ${error instanceof Error ? error.message : String(error)}`,
        episode_id: null,
        timestamp: Date.now() / 1000,
      },
      null,
    );
    return 'failed';
  }
  const spec: EpisodeSpec = {
    record: job.record,
    mode: job.mode,
    userType: job.userType,
    maxTurns,
    fixedQuestions,
    referenceQuirks,
    prompts: plan.prompts,
    ...(integralFloats ? { integralFloats } : {}),
  };
  const participants = batchParticipants(job.record, job.mode, job.userType, fixedQuestions, models, provenance, {
    referenceQuirks,
    prompts: plan.prompts,
    ...(integralFloats ? { integralFloats } : {}),
    ...(openingImage ? { openingImage } : {}),
  });
  const save = (status: 'completed' | 'failed' | 'aborted'): Promise<void> =>
    ctx.storage?.saveEpisode(
      episodeSummary(episodeId, ctx.runId, spec, participants, log.events, status, startedAt),
      log.events,
    ) ?? Promise.resolve();
  try {
    const result = await runEpisode(spec, participants, log, signal);
    // Stored before its results line: a process stopped between the two leaves an episode the results file lacks,
    // which the resumed run marks aborted and plays again (batch-run.ts). The other order lost the episode's row for
    // good, since a resumed run skips whatever its results file has.
    await save('completed');
    await lines.result(
      job,
      resultLine(job.record, job.mode, job.userType, result, {
        episodeId,
        task: plan.benchmark.taskOf(job.record),
        provenance,
        testModel: models.assistant.isTestModel,
      }),
      episodeId,
    );
    return 'done';
  } catch (error) {
    if (error instanceof EpisodeAbortedError) {
      await save('aborted');
      return 'aborted';
    }
    if (!(error instanceof EpisodeFailure)) throw error;
    // Stored before its line, as a completed one is.
    await save('failed');
    await lines.failure(
      job,
      {
        problem_id: job.record.problem_id,
        persona_id: personaIdOf(job.record),
        mode: job.mode,
        user_type: job.userType,
        stage: error.stage,
        code: error.code,
        reason: error.message,
        episode_id: episodeId,
        timestamp: Date.now() / 1000,
      },
      episodeId,
    );
    return 'failed';
  }
}
