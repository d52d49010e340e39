import type { Storage } from '../../storage/storage.ts';
import type { StoredRating } from '../../storage/study-work-storage.ts';
import { PROLIFIC_COLUMNS, ProlificLookup } from './prolific-cells.ts';
import { studyEvents } from './study-episodes.ts';
import type { Row } from './table-format.ts';

/** Human judgments: raters' ratings (wide and long) and what the actors said about their own answers and questions. */

/** What names a rating in both rating tables: the item, what it showed, and who rated it. */
const RATING_KEY_COLUMNS = ['item_id', 'problem_id', 'source_episode_id', 'is_gold', 'participant_id'] as const;

export const RATING_COLUMNS = [
  ...RATING_KEY_COLUMNS,
  ...PROLIFIC_COLUMNS,
  'scores',
  'correct',
  'justification',
  'seconds_spent',
  'attention_passed',
  'created_at',
] as const;

export const RATING_LONG_COLUMNS = [
  ...RATING_KEY_COLUMNS,
  'prolific_pid',
  'criterion',
  'score',
  'correct',
  'attention_passed',
  'created_at',
] as const;

export const SELF_RATING_COLUMNS = [
  'episode_id',
  'problem_id',
  'participant_id',
  ...PROLIFIC_COLUMNS,
  'scores',
  'correct',
  'justification',
  'seconds_spent',
  'rated_at',
] as const;

export const QUESTION_TAG_COLUMNS = [
  'episode_id',
  'problem_id',
  'participant_id',
  'prolific_pid',
  'seq',
  'at',
  'turn',
  'tag',
  'question',
] as const;

/** The RATING_KEY_COLUMNS cells of a rating. */
function ratingKeyCells(r: StoredRating, prolific: ProlificLookup): Row {
  return {
    item_id: r.itemId,
    problem_id: r.problemId,
    source_episode_id: r.sourceEpisodeId,
    is_gold: r.isGold,
    participant_id: prolific.participant(r.participantId),
  };
}

/** A study's ratings, with their raters' (pseudonymized) Prolific ids at hand (one storage call for all of them). */
async function ratingsOf(
  storage: Storage,
  studyId: string,
): Promise<{ ratings: StoredRating[]; prolific: ProlificLookup }> {
  const ratings = await storage.work.listRatings(studyId);
  const prolific = await ProlificLookup.forStudy(storage, studyId);
  await prolific.load(ratings.map((r) => r.participantId));
  return { ratings, prolific };
}

export async function* ratingRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  const { ratings, prolific } = await ratingsOf(storage, studyId);
  for (const r of ratings) {
    yield {
      ...ratingKeyCells(r, prolific),
      ...prolific.cells(r.participantId),
      scores: r.scores,
      correct: r.correct,
      justification: r.justification,
      seconds_spent: r.secondsSpent,
      attention_passed: r.attentionPassed,
      created_at: r.createdAt,
    };
  }
}

/** One row per rating × criterion, for analysis tools that want one score per row (the `scores` cell, unpacked). */
export async function* ratingLongRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  const { ratings, prolific } = await ratingsOf(storage, studyId);
  for (const r of ratings) {
    const { prolific_pid } = prolific.cells(r.participantId);
    for (const [criterion, score] of Object.entries(r.scores)) {
      yield {
        ...ratingKeyCells(r, prolific),
        prolific_pid,
        criterion,
        score,
        correct: r.correct,
        attention_passed: r.attentionPassed,
        created_at: r.createdAt,
      };
    }
  }
}

/** Each actor's rating of the final answer of an episode they played (`actor_rated`), with their comment. */
export async function* selfRatingRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  const prolific = await ProlificLookup.forStudy(storage, studyId);
  for await (const { episode, event } of studyEvents(storage, studyId, ['actor_rated'])) {
    if (event.type !== 'actor_rated') continue;
    await prolific.load([episode.participantId]);
    yield {
      episode_id: episode.id,
      problem_id: episode.problemId,
      participant_id: prolific.participant(episode.participantId),
      ...prolific.cells(episode.participantId),
      scores: event.scores,
      // Actors are no longer asked about correctness (they never see the correct answer): null when not asked.
      correct: event.correct ?? null,
      justification: event.justification ?? '',
      seconds_spent: event.secondsSpent,
      rated_at: event.at,
    };
  }
}

/**
 * Each tag an actor put on one of the model's questions (`question_tagged`), with the question's text. Every tagging
 * is a row: an actor who changed their mind has two rows for the turn, the later seq being the one in force.
 */
export async function* questionTagRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  const prolific = await ProlificLookup.forStudy(storage, studyId);
  let episodeId: string | null = null;
  let questions = new Map<number, string>();
  for await (const { episode, event } of studyEvents(storage, studyId, ['message', 'question_tagged'])) {
    if (episode.id !== episodeId) {
      episodeId = episode.id;
      questions = new Map();
    }
    if (event.type === 'message' && event.kind === 'question') questions.set(event.turn, event.content);
    if (event.type !== 'question_tagged') continue;
    await prolific.load([episode.participantId]);
    yield {
      episode_id: episode.id,
      problem_id: episode.problemId,
      participant_id: prolific.participant(episode.participantId),
      prolific_pid: prolific.cells(episode.participantId).prolific_pid,
      seq: event.seq,
      at: event.at,
      turn: event.turn,
      tag: event.tag,
      question: questions.get(event.turn) ?? null,
    };
  }
}
