import type { EpisodeEvent, NewEpisodeEvent } from '../../shared/schemas/episode.ts';

/**
 * The append-only event log of one episode. Numbers and timestamps each event, keeps them in order, and hands each
 * new one to the listener (a live session stores it and broadcasts it; a batch run stores the whole log at the end).
 * A log resumed after a restart starts from the events already stored, which are not handed to the listener again.
 */
export class EpisodeLog {
  private readonly list: EpisodeEvent[];
  private nextSeq: number;

  constructor(
    private readonly listener?: (event: EpisodeEvent) => void,
    private readonly now: () => Date = () => new Date(),
    existing: readonly EpisodeEvent[] = [],
  ) {
    this.list = [...existing];
    this.nextSeq = existing.length === 0 ? 0 : (existing[existing.length - 1]?.seq ?? -1) + 1;
  }

  append(event: NewEpisodeEvent): EpisodeEvent {
    const full = { ...event, seq: this.nextSeq, at: this.now().toISOString() } as EpisodeEvent;
    this.nextSeq += 1;
    this.list.push(full);
    this.listener?.(full);
    return full;
  }

  get events(): readonly EpisodeEvent[] {
    return this.list;
  }
}
