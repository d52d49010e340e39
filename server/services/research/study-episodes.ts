import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { StudyEpisode } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';

/** Episodes read per storage call: small enough that an export never holds much in memory or blocks for long. */
const EPISODE_PAGE = 200;

/** A study's episodes in start order, page by page; each page is one short storage call. */
export async function* studyEpisodes(
  storage: Storage,
  studyId: string,
  pageSize = EPISODE_PAGE,
): AsyncGenerator<StudyEpisode[]> {
  let after: { startedAt: string; id: string } | null = null;
  for (;;) {
    const page: StudyEpisode[] = await storage.research.studyEpisodes(studyId, { after, limit: pageSize });
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1] as StudyEpisode;
    after = { startedAt: last.startedAt, id: last.id };
    if (page.length < pageSize) return;
  }
}

/** The events of the given types of a study's episodes, each with its episode, in episode order and then seq order. */
export async function* studyEvents(
  storage: Storage,
  studyId: string,
  types: readonly EpisodeEvent['type'][],
): AsyncGenerator<{ episode: StudyEpisode; event: EpisodeEvent }> {
  for await (const page of studyEpisodes(storage, studyId)) {
    const byId = new Map(page.map((e) => [e.id, e]));
    const events = await storage.research.episodeEvents(
      page.map((e) => e.id),
      types,
    );
    for (const { episodeId, event } of events) yield { episode: byId.get(episodeId) as StudyEpisode, event };
  }
}
