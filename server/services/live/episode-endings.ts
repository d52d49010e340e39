import type { EpisodeSummary } from '../../storage/episode-storage.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { storeFailedEnd, storeOutcome, type EndReason } from './episode-end-store.ts';
import type { LiveDeps } from './live-types.ts';
import type { RunningEpisode } from './running-episode.ts';

/**
 * How this node's live episodes end in storage, as their owner (every end is fenced: storage refuses it once another
 * node owns the episode, and then nothing more is done here): the outcome of an engine that finished, or the failure of
 * one ended from outside (storage gave up, a researcher ended it, it cannot resume); then the play lease and the
 * rating queue. Ends whose storing waits for storage to work again are kept, so requests about them are answered
 * `unavailable` until it is done.
 */
export class EpisodeEndings {
  private readonly ending = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: LiveDeps,
    /** This node's id, the owner every end is stored as. */
    private readonly owner: string,
    /** Shutdown: storing stops retrying, and the episode stays 'running' in storage for the next start. */
    private readonly closing: AbortSignal,
  ) {}

  /** The end of this episode being stored right now, if any. */
  pending(episodeId: string): Promise<void> | undefined {
    return this.ending.get(episodeId);
  }

  /**
   * After the engine's run: stores how it ended. Nothing if another node took it over (that node ends it) or it was
   * stopped by a shutdown; the reason stored if it was ended from outside; else its outcome, and then a completed
   * answer goes to the raters and an idle actor's unit back to the queue.
   */
  async afterRun(
    info: LiveEpisodeInfo,
    running: RunningEpisode,
    outcome: 'completed' | 'failed' | 'aborted',
    summarize: (outcome: 'completed' | 'failed') => EpisodeSummary,
  ): Promise<void> {
    if (running.lost) return;
    const end = running.endRequest;
    if (end) return this.storeFailure(info, end, running);
    if (outcome === 'aborted') return;
    const id = info.summary.id;
    const stored = await storeOutcome(this.deps, id, summarize(outcome), this.owner, this.closing, running.logger);
    if (stored !== 'stored') return;
    if (outcome === 'completed') await this.answered(info, running);
    // An actor who went idle leaves their unit to someone else.
    if (
      outcome === 'failed' &&
      running.log.events.some((e) => e.type === 'episode_failed' && e.code === 'idle_timeout')
    )
      await this.release(info, 'timed_out');
  }

  /**
   * Stores an episode's end: its episode_failed event (after the last stored one), its summary as failed, and releases
   * its play lease so the unit goes to someone else; the actor sees the event. While storage fails this is retried in
   * the background (requests about the episode are answered `unavailable`); a shutdown meanwhile leaves it 'running'
   * in storage, and the next start heals it.
   */
  storeFailure(info: LiveEpisodeInfo, end: EndReason, after?: RunningEpisode): Promise<void> {
    const id = info.summary.id;
    const existing = this.ending.get(id);
    if (existing) return existing;
    const log = this.deps.log.child({ studyId: info.studyId, episodeId: id });
    const work = (async () => {
      const stored = await storeFailedEnd(this.deps, id, end, after, this.owner, this.closing, log);
      if (stored !== 'stored') return;
      log.info({ code: end.code, reason: end.reason }, 'live episode ended');
      // The server's own failures (storage, a model or record gone) pay the actor the partial code; a researcher's end
      // leaves payment to the researcher.
      await this.release(info, end.code === 'ended_by_researcher' ? null : 'timed_out');
    })().finally(() => this.ending.delete(id));
    this.ending.set(id, work);
    return work;
  }

  /** Resolves once every end being stored is done (or stopped by the shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.ending.values()]);
  }

  /** The unit goes back to the queue for someone else; a failure is logged (the lease lapses on its own). */
  private async release(info: LiveEpisodeInfo, outcome: 'timed_out' | null): Promise<void> {
    await this.deps.queue
      .releasePlay?.(info.assignmentId, info.studyId, info.participantId, outcome)
      .catch((error: unknown) =>
        this.deps.log.error(
          { err: error, studyId: info.studyId, episodeId: info.summary.id, assignmentId: info.assignmentId },
          'releasing the play lease failed',
        ),
      );
  }

  /**
   * Hands a finished answer to the rating queue; a failure there is logged, never fatal to the episode. With its log
   * as stored (the run resolves once its whole conversation is; the person's rating may be on its way after it), so
   * the queue need not read the episode back.
   */
  private async answered(info: LiveEpisodeInfo, running: RunningEpisode): Promise<void> {
    const { studyId } = info;
    const episodeId = info.summary.id;
    const events = running.log.events.filter((e) => e.seq <= running.lastStoredSeq);
    const held = { summary: info.summary, events, participantId: info.participantId };
    await this.deps
      .onAnswered?.(studyId, episodeId, held)
      .catch((error: unknown) =>
        this.deps.log.error({ err: error, studyId, episodeId }, 'adding an answer for rating failed'),
      );
  }
}
