import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Storage } from '../../storage/storage.ts';
import type { StoredRating } from '../../storage/study-work-storage.ts';
import type { RatedItem, RecordInfo } from './agreement-data.ts';

type Started = Extract<EpisodeEvent, { type: 'episode_started' }>;
type ActorRated = Extract<EpisodeEvent, { type: 'actor_rated' }>;

/** What the report needs of a rated answer's source episode: the judge's verdicts and the actor's own rating. */
export interface SourceEpisode {
  started: Started | null;
  judged: Map<string, number | null>;
  weighted: number | null;
  correct: 0 | 1 | null;
  self: ActorRated | null;
}

/** Episode ids per storage call: keeps each statement's JSON parameter and result small. */
const CHUNK = 500;
const SOURCE_EVENTS: EpisodeEvent['type'][] = [
  'episode_started',
  'criterion_judged',
  'correctness_judged',
  'actor_rated',
  'episode_completed',
];

/**
 * The source episodes of rated answers, read by id: a candidate may come from a CLI run that belongs to no study, so
 * they cannot be found by listing the study's episodes. Later events win (a re-judged episode appends new verdicts).
 */
export async function sourceEpisodes(storage: Storage, ids: readonly string[]): Promise<Map<string, SourceEpisode>> {
  const out = new Map<string, SourceEpisode>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const rows = await storage.research.episodeEvents(ids.slice(start, start + CHUNK), SOURCE_EVENTS);
    for (const { episodeId, event } of rows) {
      let source = out.get(episodeId);
      if (!source)
        out.set(episodeId, (source = { started: null, judged: new Map(), weighted: null, correct: null, self: null }));
      if (event.type === 'episode_started') source.started = event;
      else if (event.type === 'criterion_judged') source.judged.set(event.preference, event.score);
      else if (event.type === 'correctness_judged') source.correct = event.correct;
      else if (event.type === 'actor_rated') source.self = event;
      else if (event.type === 'episode_completed') {
        source.weighted = event.weightedScore;
        source.correct ??= event.correct;
      }
    }
  }
  return out;
}

/**
 * The study's rated answers: non-gold candidates with at least one rating, each with its raters' scores (in rater id
 * order, so the report does not depend on the order ratings arrived in) and the judge's, on the record's criteria.
 */
export function ratedItems(
  ratings: readonly StoredRating[],
  records: ReadonlyMap<string, RecordInfo>,
  sources: ReadonlyMap<string, SourceEpisode>,
): RatedItem[] {
  const byItem = new Map<string, StoredRating[]>();
  for (const r of ratings) {
    if (r.isGold || r.sourceEpisodeId === null) continue;
    const list = byItem.get(r.itemId) ?? [];
    list.push(r);
    byItem.set(r.itemId, list);
  }
  const items: RatedItem[] = [];
  for (const [itemId, list] of [...byItem].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const first = list[0] as StoredRating;
    const record = records.get(first.problemId);
    if (!record) continue;
    const criteria = record.criteria.map((c) => c.preference);
    const sorted = [...list].sort((a, b) =>
      a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0,
    );
    const source = sources.get(first.sourceEpisodeId as string);
    const self = source?.self ?? null;
    items.push({
      itemId,
      problemId: first.problemId,
      personaId: record.personaId,
      sourceEpisodeId: first.sourceEpisodeId as string,
      model: source?.started?.provenance.assistantModel ?? null,
      raters: sorted.map((r) => r.participantId),
      scores: sorted.map((r) => criteria.map((c) => r.scores[c] ?? null)),
      correct: sorted.map((r) => r.correct),
      judge: criteria.map((c) => source?.judged.get(c) ?? null),
      judgeWeighted: source?.weighted ?? null,
      judgeCorrect: source?.correct ?? null,
      self: self ? { scores: criteria.map((c) => self.scores[c] ?? null), correct: self.correct ?? null } : null,
    });
  }
  return items;
}
