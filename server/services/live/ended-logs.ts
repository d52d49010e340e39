import { LRUCache } from 'lru-cache';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { LiveEpisodeStorage } from '../../storage/live-storage.ts';

/**
 * Ended episodes whose logs are kept, the most recent ones (a log is a few dozen events, some 15 KB): a person rates
 * within minutes of the end, while at most as many others end theirs. No time limit: lru-cache's reads a clock and
 * sets a timer on the live loop at each look-up.
 */
const KEPT_LOGS = 1_000;

/**
 * The logs of live episodes that ended on this node, as they were stored, kept a while for the person's requests
 * that come right after the end (the rating, a question tag, the rating page's snapshot). Why: each of these read
 * and parsed every stored event of the episode again, the largest part of a rating on the live loop (profiled at
 * 1,000 persons). A log is append-only and a stored event never changes, so a kept copy plus what storage holds after
 * its last seq is exactly what storage holds: whatever was appended since, here or on another node, is still read,
 * and only that. A participant's deletion removes the episode itself, which the callers read first.
 */
export class EndedLogs {
  private readonly logs = new LRUCache<string, readonly EpisodeEvent[]>({ max: KEPT_LOGS });

  /** Keeps `events`, which must be stored as they are, in order from seq 0 with none left out. */
  keep(episodeId: string, events: readonly EpisodeEvent[]): void {
    if (events.length > 0) this.logs.set(episodeId, events);
  }

  /** Every stored event of the episode: the kept ones and those stored after them; all of them if none are kept. */
  async read(storage: LiveEpisodeStorage, episodeId: string): Promise<readonly EpisodeEvent[]> {
    const kept = this.logs.get(episodeId);
    if (!kept) return storage.eventsAfter(episodeId, -1);
    const after = await storage.eventsAfter(episodeId, kept.at(-1)?.seq ?? -1);
    if (after.length === 0) return kept;
    const all = [...kept, ...after];
    this.logs.set(episodeId, all);
    return all;
  }
}
