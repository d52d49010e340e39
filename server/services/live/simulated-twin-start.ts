import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { episodeModels } from './episode-models.ts';
import type { LiveDeps } from './live-types.ts';
import { TWIN_JOB_KIND, twinJobKey, type TwinJobPayload } from './twin-episode.ts';

/**
 * Starts live episodes' fully simulated twins, once each, only once the person has played (their first reply, or
 * their rating where the mode has no conversation), never merely because a unit was started: anyone with the actor
 * link could otherwise make the server pay for model calls. A twin is a job (`twin:<episodeId>`, recorded before it
 * starts, once per live episode however often this is asked) that the research worker runs off the live loop,
 * resumes after a crash or restart, and stops at shutdown (twin-job.ts). Its answer goes to the raters too.
 */
export class SimulatedTwinStart {
  /** Live episodes whose simulated twin was started by this process. */
  private readonly started = new Set<string>();

  constructor(
    private readonly deps: LiveDeps,
    /** Shutdown: no twin starts any more. */
    private readonly closing: AbortSignal,
  ) {}

  async ensure(info: LiveEpisodeInfo): Promise<void> {
    const id = info.summary.id;
    if (this.started.has(id) || this.closing.aborted) return;
    this.started.add(id);
    const settings = await this.deps.queue.settings(info.studyId);
    if (!settings.simulatedTwin) return;
    const models = episodeModels(info, settings, this.deps.model);
    if ('missing' in models) return;
    const payload: TwinJobPayload = { liveEpisodeId: id };
    const { created } = await this.deps.storage.jobs.enqueueJob({ kind: TWIN_JOB_KIND, key: twinJobKey(id), payload });
    if (created) this.deps.wakeJobs?.();
  }
}
