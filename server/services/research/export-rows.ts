import type { ExportTable } from '../../../shared/schemas/research.ts';
import type { StudyEpisode } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { PARTICIPANT_COLUMNS, participantRows } from './participant-rows.ts';
import { ProlificLookup } from './prolific-cells.ts';
import {
  QUESTION_TAG_COLUMNS,
  questionTagRows,
  RATING_COLUMNS,
  RATING_LONG_COLUMNS,
  ratingLongRows,
  ratingRows,
  SELF_RATING_COLUMNS,
  selfRatingRows,
} from './rating-rows.ts';
import { studyEpisodes, studyEvents } from './study-episodes.ts';
import type { Row } from './table-format.ts';

/** The columns of each export table, in file order (CSV header and JSONL key order). */
export const EXPORT_COLUMNS: Record<ExportTable, readonly string[]> = {
  episodes: [
    'episode_id',
    'source',
    'run_id',
    'participant_id',
    'prolific_pid',
    'prolific_study_id',
    'prolific_session_id',
    'twin_of',
    'problem_id',
    'task',
    'persona_id',
    'mode',
    'user_type',
    'user_seat',
    'status',
    'weighted_score',
    'correct',
    'interaction_turns',
    'assistant_model',
    'judge_model',
    'simulator_model',
    'failure_stage',
    'failure_reason',
    'started_at',
    'ended_at',
  ],
  messages: ['episode_id', 'source', 'seq', 'at', 'turn', 'role', 'kind', 'content', 'regenerated', 'twin'],
  ratings: RATING_COLUMNS,
  ratings_long: RATING_LONG_COLUMNS,
  self_ratings: SELF_RATING_COLUMNS,
  question_tags: QUESTION_TAG_COLUMNS,
  disclosures: ['episode_id', 'seq', 'turn', 'event', 'source', 'asked', 'revealed'],
  participants: PARTICIPANT_COLUMNS,
};

async function* episodeRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  const prolific = await ProlificLookup.forStudy(storage, studyId);
  for await (const page of studyEpisodes(storage, studyId)) {
    await prolific.load(page.map((e) => e.participantId));
    for (const e of page) {
      yield {
        episode_id: e.id,
        source: e.source,
        run_id: e.runId,
        participant_id: prolific.participant(e.participantId),
        ...prolific.cells(e.participantId),
        twin_of: e.twinOf,
        problem_id: e.problemId,
        task: e.task,
        persona_id: e.personaId,
        mode: e.mode,
        user_type: e.userType,
        user_seat: e.userSeat,
        status: e.status,
        weighted_score: e.weightedScore,
        correct: e.correct,
        interaction_turns: e.interactionTurns,
        assistant_model: e.assistantModel,
        judge_model: e.judgeModel,
        simulator_model: e.simulatorModel,
        failure_stage: e.failure?.stage ?? null,
        failure_reason: e.failure?.reason ?? null,
        started_at: e.startedAt,
        ended_at: e.endedAt,
      };
    }
  }
}

/**
 * Every message, plus the simulated twin's replies recorded inside live episodes (kind `twin_reply`): `twin` is true
 * for what a simulated twin said or was told, so human and twin answers to the same question sit side by side.
 */
async function* messageRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  for await (const { episode, event } of studyEvents(storage, studyId, ['message', 'twin_reply'])) {
    const base = { episode_id: episode.id, source: episode.source, seq: event.seq, at: event.at };
    if (event.type === 'message') {
      yield {
        ...base,
        turn: event.turn,
        role: event.role,
        kind: event.kind,
        content: event.content,
        regenerated: event.regenerated ?? false,
        twin: episode.source === 'twin',
      };
    } else if (event.type === 'twin_reply') {
      yield {
        ...base,
        turn: event.turn,
        role: 'user',
        kind: 'twin_reply',
        content: event.response,
        regenerated: false,
        twin: true,
      };
    }
  }
}

/** Who revealed (or would have revealed) the preferences: a person, a simulated user next to one, or a batch run. */
function disclosureSource(
  episode: StudyEpisode,
  eventType: 'disclosure_labeled' | 'twin_reply',
): 'human' | 'simulated' | 'batch' {
  if (eventType === 'twin_reply' || episode.source === 'twin') return 'simulated';
  return episode.source === 'live' ? 'human' : 'batch';
}

async function* disclosureRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  for await (const { episode, event } of studyEvents(storage, studyId, ['disclosure_labeled', 'twin_reply'])) {
    if (event.type !== 'disclosure_labeled' && event.type !== 'twin_reply') continue;
    yield {
      episode_id: episode.id,
      seq: event.seq,
      turn: event.turn,
      event: event.type,
      source: disclosureSource(episode, event.type),
      asked: event.asked,
      revealed: event.revealed,
    };
  }
}

/** The rows of one export table of a study, produced as the response pulls them. */
export function exportRows(storage: Storage, studyId: string, table: ExportTable): AsyncGenerator<Row> {
  switch (table) {
    case 'episodes':
      return episodeRows(storage, studyId);
    case 'messages':
      return messageRows(storage, studyId);
    case 'disclosures':
      return disclosureRows(storage, studyId);
    case 'ratings':
      return ratingRows(storage, studyId);
    case 'ratings_long':
      return ratingLongRows(storage, studyId);
    case 'self_ratings':
      return selfRatingRows(storage, studyId);
    case 'question_tags':
      return questionTagRows(storage, studyId);
    case 'participants':
      return participantRows(storage, studyId);
  }
}
