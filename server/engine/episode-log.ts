import type { EpisodeEvent, NewEpisodeEvent } from '../../shared/schemas/episode.ts';

/**
 * The append-only event log of one episode. Numbers and timestamps each event, keeps them in order, and hands each to
 * the listener (a live session stores it before acknowledging and broadcasts it; a batch run stores the whole log at
 * the end).
 */
export class EpisodeLog {
  private readonly list: EpisodeEvent[] = [];

  constructor(
    private readonly listener?: (event: EpisodeEvent) => void,
    private readonly now: () => Date = () => new Date(),
    firstSeq = 0,
  ) {
    this.nextSeq = firstSeq;
  }

  private nextSeq: number;

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
