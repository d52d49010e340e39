import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { StudyEpisode } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { studyEpisodes } from '../research/study-episodes.ts';
import type { Baseline, DisclosureLabel, LiveEpisode, LiveTurn, PlayedEpisode, TwinEpisode } from './agreement-data.ts';
import { unpromptedCount, wordCount } from './record-info.ts';

type Started = Extract<EpisodeEvent, { type: 'episode_started' }>;

export interface EpisodeHarvest {
  live: LiveEpisode[];
  twins: TwinEpisode[];
  baselines: Baseline[];
  /** The provenance of every episode above. */
  started: Started[];
}

const PLAYED_EVENTS: EpisodeEvent['type'][] = ['episode_started', 'message', 'disclosure_labeled', 'twin_reply'];

// A failed labeler or twin call is stored with empty lists and an issue: that is "unknown", not "revealed nothing".
const labelerFailed = (issue: string | undefined): boolean => issue?.startsWith('labeler failed') ?? false;
const twinFailed = (issue: string | undefined): boolean => issue?.startsWith('twin failed') ?? false;

function played(e: StudyEpisode, events: readonly EpisodeEvent[]): PlayedEpisode & { turnLabels: LiveTurn[] } {
  const human = new Map<number, DisclosureLabel>();
  const twin = new Map<number, DisclosureLabel>();
  const replyWords: number[] = [];
  const unprompted: number[] = [];
  for (const event of events) {
    if (event.type === 'message' && event.role === 'user' && event.kind === 'reply')
      replyWords.push(wordCount(event.content));
    else if (event.type === 'disclosure_labeled' && !labelerFailed(event.issue)) {
      const label = { asked: event.asked, revealed: event.revealed };
      human.set(event.turn, label);
      unprompted.push(unpromptedCount(label));
    } else if (event.type === 'twin_reply' && !twinFailed(event.issue))
      twin.set(event.turn, { asked: event.asked, revealed: event.revealed });
  }
  const turns = [...new Set([...human.keys(), ...twin.keys()])].sort((a, b) => a - b);
  const completed = e.status === 'completed';
  return {
    episodeId: e.id,
    problemId: e.problemId,
    personaId: e.personaId,
    model: e.assistantModel,
    weightedScore: completed ? e.weightedScore : null,
    turns: completed ? e.interactionTurns : null,
    replyWords,
    unprompted,
    turnLabels: turns.map((turn) => ({ turn, human: human.get(turn) ?? null, twin: twin.get(turn) ?? null })),
  };
}

/**
 * The study's person-played discovery episodes (with their twin replies), their simulated twin episodes, and the
 * generic (no_prompt) batch answers of its runs. Running episodes are left out: they are still changing.
 */
export async function gatherEpisodes(storage: Storage, studyId: string): Promise<EpisodeHarvest> {
  const harvest: EpisodeHarvest = { live: [], twins: [], baselines: [], started: [] };
  for await (const page of studyEpisodes(storage, studyId)) {
    const wanted = page.filter(
      (e) =>
        e.status !== 'running' &&
        ((e.mode === 'infer_persona' && (e.source === 'twin' || (e.source === 'live' && e.userSeat === 'person'))) ||
          (e.source === 'batch' && e.mode === 'no_prompt' && e.status === 'completed' && e.weightedScore !== null)),
    );
    if (wanted.length === 0) continue;
    const events = new Map<string, EpisodeEvent[]>();
    for (const { episodeId, event } of await storage.research.episodeEvents(
      wanted.map((e) => e.id),
      PLAYED_EVENTS,
    )) {
      const list = events.get(episodeId) ?? [];
      list.push(event);
      events.set(episodeId, list);
    }
    for (const e of wanted) {
      const log = events.get(e.id) ?? [];
      const started = log.find((x): x is Started => x.type === 'episode_started');
      if (started) harvest.started.push(started);
      if (e.source === 'batch')
        harvest.baselines.push({
          problemId: e.problemId,
          model: e.assistantModel,
          weightedScore: e.weightedScore as number,
        });
      else if (e.source === 'live') harvest.live.push(played(e, log));
      else if (e.twinOf !== null) {
        const { turnLabels: _unused, ...twin } = played(e, log);
        harvest.twins.push({ ...twin, liveEpisodeId: e.twinOf });
      }
    }
  }
  return harvest;
}
