import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';

/** Events by seq, each once: the watch answer and pushed events overlap (join first, then read), by design. */
export function mergeEvents(current: readonly EpisodeEvent[], incoming: readonly EpisodeEvent[]): EpisodeEvent[] {
  const bySeq = new Map<number, EpisodeEvent>();
  for (const e of current) bySeq.set(e.seq, e);
  for (const e of incoming) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
