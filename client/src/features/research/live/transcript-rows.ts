import type { EpisodeEvent } from '../../../../../shared/schemas/episode.ts';

type Ev<T extends EpisodeEvent['type']> = Extract<EpisodeEvent, { type: T }>;
export type Message = Ev<'message'>;

/**
 * One turn's answer from both users: the person's reply and the simulated twin's reply to the same question, side by
 * side. Either may be missing while the other has arrived (the twin usually answers first).
 */
export interface Exchange {
  kind: 'exchange';
  turn: number;
  reply: Message | null;
  twin: Ev<'twin_reply'> | null;
  /** What the person's reply was labelled as asking about and revealing. */
  disclosure: Ev<'disclosure_labeled'> | null;
}

export type TranscriptRow =
  | { kind: 'started'; event: Ev<'episode_started'> }
  | { kind: 'message'; event: Message; tags: Ev<'question_tagged'>['tag'][] }
  | Exchange
  | { kind: 'judged'; criteria: Ev<'criterion_judged'>[]; correctness: Ev<'correctness_judged'> | null }
  | { kind: 'rated'; event: Ev<'actor_rated'> }
  | { kind: 'ended'; event: Ev<'episode_completed'> | Ev<'episode_failed'> };

/** Events (in seq order) → what the transcript shows, pairing each reply with its twin by turn. */
export function transcriptRows(events: readonly EpisodeEvent[]): TranscriptRow[] {
  const rows: TranscriptRow[] = [];
  const exchanges = new Map<number, Exchange>();
  const questions = new Map<number, Extract<TranscriptRow, { kind: 'message' }>>();
  let judged: Extract<TranscriptRow, { kind: 'judged' }> | null = null;

  const exchange = (turn: number): Exchange => {
    let row = exchanges.get(turn);
    if (!row) {
      row = { kind: 'exchange', turn, reply: null, twin: null, disclosure: null };
      exchanges.set(turn, row);
      rows.push(row);
    }
    return row;
  };
  const judgement = (): Extract<TranscriptRow, { kind: 'judged' }> => {
    if (!judged) {
      judged = { kind: 'judged', criteria: [], correctness: null };
      rows.push(judged);
    }
    return judged;
  };

  for (const e of events) {
    switch (e.type) {
      case 'episode_started':
        rows.push({ kind: 'started', event: e });
        break;
      case 'message':
        if (e.kind === 'reply') exchange(e.turn).reply = e;
        else {
          const row = { kind: 'message' as const, event: e, tags: [] };
          if (e.kind === 'question') questions.set(e.turn, row);
          rows.push(row);
        }
        break;
      case 'twin_reply':
        exchange(e.turn).twin = e;
        break;
      case 'disclosure_labeled':
        exchange(e.turn).disclosure = e;
        break;
      case 'question_tagged':
        questions.get(e.turn)?.tags.push(e.tag);
        break;
      case 'criterion_judged':
        judgement().criteria.push(e);
        break;
      case 'correctness_judged':
        judgement().correctness = e;
        break;
      case 'actor_rated':
        rows.push({ kind: 'rated', event: e });
        break;
      case 'episode_completed':
      case 'episode_failed':
        rows.push({ kind: 'ended', event: e });
        break;
    }
  }
  return rows;
}

export const MESSAGE_KINDS: Record<Message['kind'], string> = {
  opening: 'opening',
  question: 'question',
  reply: 'reply',
  stop: 'stop',
  final_prompt: 'asks for the final answer',
  final_answer: 'final answer',
};
