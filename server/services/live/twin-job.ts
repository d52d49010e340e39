import type { Logger } from '../logger.ts';
import { runTwinEpisode, TwinJobPayloadSchema, type TwinDeps } from './twin-episode.ts';

/** The part of a claimed job and its context the twin handler reads (the job runner's Job and JobContext). */
interface TwinJob {
  payload: unknown;
}
interface TwinJobContext {
  /** Aborted on shutdown or a lost lease (the twin stays resumable) or on cancel (`reason` 'cancelled'). */
  signal: AbortSignal;
  log: Logger;
}

/**
 * The job handler of simulated twins (`twin:<liveEpisodeId>`), run by the research worker: runs or continues the twin
 * from what it stored. Stopped by a shutdown, the twin stays 'running' and the job goes back to the queue; cancelled,
 * the twin is ended as aborted so nothing waits for it. A twin that cannot run (its live episode or record gone, a
 * model not declared) fails the job with the reason.
 */
export function twinJobHandler(deps: Omit<TwinDeps, 'log'>): (job: TwinJob, ctx: TwinJobContext) => Promise<void> {
  return async (job, ctx) => {
    const payload = TwinJobPayloadSchema.parse(job.payload);
    const outcome = await runTwinEpisode({ ...deps, log: ctx.log }, payload, ctx.signal);
    if (outcome.status === 'aborted' && ctx.signal.reason === 'cancelled') {
      await deps.storage.live.finish(outcome.twinId, {
        status: 'aborted',
        weightedScore: null,
        correct: null,
        interactionTurns: null,
        failure: { stage: 'aborted', reason: 'the simulated twin was cancelled' },
      });
    }
  };
}
