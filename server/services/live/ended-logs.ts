import { LRUCache } from 'lru-cache';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { LiveEpisodeStorage } from '../../storage/live-storage.ts';

/** At most this many logs are kept, the latest ends (a log is a few dozen events, some 15 KB). */
const KEPT_LOGS = 1_000;
/** A person rates within minutes of the end; a log kept longer is dropped and read from storage if asked for. */
const KEPT_MS = 30 * 60_000;

/**
 * The logs of live episodes that ended on this node, as they were stored, kept a while for the person's requests
 * that come right after the end (the rating, a question tag, the rating page's snapshot). Why: each of these read
 * and parsed every stored event of the episode again, the largest part of a rating on the live loop (profiled at
 * 1,000 persons). A log is append-only and a stored event never changes, so a kept copy plus what storage holds after
 * its last seq is exactly what storage holds: whatever was appended since, here or on another node, is still read,
 * and only that. A participant's deletion removes the episode itself, which the callers read first.
 *
 * Kept in an LRU cache (lru-cache, at most KEPT_LOGS): old logs give way to new ones. The half hour is checked here,
 * when a log is read: lru-cache's own time limit reads the clock and arms a timer on look-ups (17 of 41 ms of the
 * reads for 400 ratings, measured at 200 persons).
 */
export class EndedLogs {
  private readonly logs = new LRUCache<string, { events: readonly EpisodeEvent[]; keptAt: number }>({ max: KEPT_LOGS });

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Keeps the stored part of a log: `log` from seq 0, in order with none left out, of which every event up to
   * `lastStoredSeq` is stored as it is (those after it, if any, are not kept). Not one the person has rated already
   * (they may rate as soon as the answer is shown, before the judges end the episode): nothing asks for it then.
   */
  keep(episodeId: string, log: readonly EpisodeEvent[], lastStoredSeq: number): void {
    const events = log.filter((e) => e.seq <= lastStoredSeq);
    if (events.length > 0 && !events.some((e) => e.type === 'actor_rated'))
      this.logs.set(episodeId, { events, keptAt: this.now() });
    else this.logs.delete(episodeId);
  }

  /** The episode's log is not asked for again (the person has rated it). */
  forget(episodeId: string): void {
    this.logs.delete(episodeId);
  }

  /** Every stored event of the episode: the kept ones and those stored after them; all of them if none are kept. */
  async read(storage: LiveEpisodeStorage, episodeId: string): Promise<readonly EpisodeEvent[]> {
    const kept = this.logs.get(episodeId);
    if (!kept || this.now() - kept.keptAt > KEPT_MS) {
      this.logs.delete(episodeId);
      return storage.eventsAfter(episodeId, -1);
    }
    const after = await storage.eventsAfter(episodeId, kept.events.at(-1)?.seq ?? -1);
    if (after.length === 0) return kept.events;
    const all = [...kept.events, ...after];
    // Only while still kept: a rating that forgot it meanwhile must not bring it back.
    if (this.logs.get(episodeId) === kept) this.logs.set(episodeId, { events: all, keptAt: kept.keptAt });
    return all;
  }
}
