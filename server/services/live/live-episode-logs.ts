import { AppError } from '../../../shared/errors.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { EndedLogs } from './ended-logs.ts';
import type { LiveDeps } from './live-types.ts';
import type { RunningEpisode } from './running-episode.ts';

/**
 * The logs of live episodes beside their engines: read from the engine's log while one runs here, else as stored
 * (one that ended here recently from its kept log), and the person's actions after (or beside) the conversation
 * appended to the same log. LiveEpisodes holds one and says which episodes run here and which may be played now.
 */
export class LiveEpisodeLogs {
  /** The logs of episodes that ended here, for the person's requests right after the end. */
  readonly ended = new EndedLogs();

  constructor(
    private readonly deps: Pick<LiveDeps, 'storage' | 'broadcast'>,
    /** The episode if it runs in this process. */
    private readonly runningHere: (episodeId: string) => RunningEpisode | undefined,
    /** Throws a retryable `unavailable` while the episode cannot be played (LiveEpisodes.assertAvailable). */
    private readonly assertAvailable: (episodeId: string) => void,
  ) {}

  /** The episode's events: from the engine's log while it runs here, else as stored. */
  async eventsOf(episodeId: string): Promise<readonly EpisodeEvent[]> {
    const running = this.runningHere(episodeId);
    if (running) {
      await running.flushed();
      return running.log.events;
    }
    return this.storedEvents(episodeId);
  }

  /** Every stored event of an episode not running here; one that ended here recently needs only its newest read. */
  storedEvents(episodeId: string): Promise<readonly EpisodeEvent[]> {
    return this.ended.read(this.deps.storage.live, episodeId);
  }

  /** The person has rated the episode: its kept log is not asked for again. */
  rated(episodeId: string): void {
    this.ended.forget(episodeId);
  }

  /**
   * Person actions after (or beside) the conversation go into the same log, through the engine's log when it runs.
   * `read`: the episode's events as the caller just read them (eventsOf), so they are not read again for the last seq.
   */
  async appendOutsideEngine(
    episodeId: string,
    event: Parameters<RunningEpisode['log']['append']>[0],
    read?: readonly EpisodeEvent[],
  ): Promise<{ seq: number }> {
    this.assertAvailable(episodeId);
    let running = this.runningHere(episodeId);
    let known = read;
    // The engine has ended the episode and its end is being stored: the event goes after it, through storage, once the
    // node has let the episode go (a rating sent as the judges finish was refused `unavailable` in that moment).
    if (running?.log.events.some((e) => e.type === 'episode_completed' || e.type === 'episode_failed')) {
      await running.settled;
      running = this.runningHere(episodeId);
      known = undefined;
    }
    if (running) {
      const appended = running.log.append(event);
      await running.flushed();
      if (running.lastStoredSeq < appended.seq)
        throw new AppError('unavailable', 'saving the conversation failed; try again in a moment');
      return { seq: appended.seq };
    }
    const last = (known ?? (await this.storedEvents(episodeId))).at(-1);
    const full = { ...event, seq: (last?.seq ?? -1) + 1, at: new Date().toISOString() } as EpisodeEvent;
    await this.deps.storage.live.append(episodeId, full);
    this.deps.broadcast.toWatchers(episodeId, full);
    return { seq: full.seq };
  }
}
