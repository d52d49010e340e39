import type { ActorEvent, ChunkMessage, StreamingTurn } from '../../../shared/protocol/live.ts';

/**
 * Pure rules for applying the live episode's stream in the browser: events by seq, chunks by index. What arrives
 * twice is ignored; a gap is reported so the caller closes it with `episode:resync` (docs/live-play.md).
 */

export type ActorMessage = Extract<ActorEvent, { type: 'message' }>;

/** The model turn being shown as it streams: its text so far and the index the next chunk must have. */
export interface StreamBuffer {
  turn: number;
  text: string;
  nextIndex: number;
}

export interface PlayLog {
  events: ActorEvent[];
  /** The seq of the last event applied; -1 before any. */
  lastSeq: number;
  /** Model messages applied so far: a chunk for a turn below this belongs to a message already shown whole. */
  assistantCount: number;
  streaming: StreamBuffer | null;
}

export const emptyLog = (): PlayLog => ({ events: [], lastSeq: -1, assistantCount: 0, streaming: null });

const isAssistant = (e: ActorEvent): boolean => e.type === 'message' && e.role === 'assistant';

export type EventOutcome = { log: PlayLog; gap: false; changed: boolean } | { log: PlayLog; gap: true; changed: false };

/** Applies one broadcast event. `gap` when events were missed before it (prevSeq is not the last applied). */
export function applyEvent(log: PlayLog, event: ActorEvent): EventOutcome {
  if (event.seq <= log.lastSeq) return { log, gap: false, changed: false };
  if (event.prevSeq !== log.lastSeq) return { log, gap: true, changed: false };
  return { log: appendEvents(log, [event]), gap: false, changed: true };
}

/** Appends events already known to follow the log (a resync batch or a checked broadcast), skipping any seen. */
export function appendEvents(log: PlayLog, events: readonly ActorEvent[]): PlayLog {
  const fresh = events.filter((e) => e.seq > log.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return log;
  const assistantCount = log.assistantCount + fresh.filter(isAssistant).length;
  const last = fresh[fresh.length - 1] as ActorEvent;
  // A whole model message replaces the streamed text of its turn.
  const streaming = log.streaming && log.streaming.turn >= assistantCount ? log.streaming : null;
  return { events: [...log.events, ...fresh], lastSeq: last.seq, assistantCount, streaming };
}

export type ChunkOutcome = { log: PlayLog; gap: boolean };

/** Applies one chunk by its index; a missing index is a gap (the caller resyncs and takes the server's buffer). */
export function applyChunk(log: PlayLog, chunk: ChunkMessage): ChunkOutcome {
  if (chunk.turn < log.assistantCount) return { log, gap: false };
  if (chunk.restart) {
    return {
      log: { ...log, streaming: { turn: chunk.turn, text: chunk.delta, nextIndex: chunk.index + 1 } },
      gap: false,
    };
  }
  const current = log.streaming && log.streaming.turn === chunk.turn ? log.streaming : null;
  const expected = current?.nextIndex ?? 0;
  if (chunk.index < expected) return { log, gap: false };
  if (chunk.index > expected) return { log, gap: true };
  const text = (current?.text ?? '') + chunk.delta;
  return { log: { ...log, streaming: { turn: chunk.turn, text, nextIndex: expected + 1 } }, gap: false };
}

/** The server's buffer of the turn being streamed replaces whatever the browser had (after resync or reload). */
export function withServerStream(log: PlayLog, streaming: StreamingTurn | null): PlayLog {
  if (!streaming || streaming.turn < log.assistantCount) return { ...log, streaming: null };
  return { ...log, streaming: { turn: streaming.turn, text: streaming.text, nextIndex: streaming.chunks } };
}

export const messagesOf = (events: readonly ActorEvent[]): ActorMessage[] =>
  events.filter((e): e is ActorMessage => e.type === 'message');

const isEarlyAnswer = (m: ActorMessage): boolean => m.role === 'assistant' && m.kind === 'question' && m.final === true;

/**
 * The messages the person sees. A model that answers before its questions run out (a question turn marked final) is
 * asked once more by the engine, under the final prompt, and that second answer is the one judged and rated. Once it
 * has arrived the early answer is left out, so the answer appears once, as the final answer the person will rate.
 * An early answer followed by more questions (the fixed-questions ablation keeps asking) stays: it is part of what
 * happened.
 */
export function shownMessagesOf(events: readonly ActorEvent[]): ActorMessage[] {
  const messages = messagesOf(events);
  return messages.filter((m, i) => {
    if (!isEarlyAnswer(m)) return true;
    const next = messages.slice(i + 1).find((n) => n.role === 'assistant');
    return next?.kind !== 'final_answer';
  });
}

/** The turn of the model's question that waits for the person's reply, or null. */
export function awaitingTurnOf(events: readonly ActorEvent[]): number | null {
  if (events.some((e) => e.type === 'episode_completed' || e.type === 'episode_failed')) return null;
  const messages = messagesOf(events);
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant' || last.final || last.kind !== 'question') return null;
  return last.turn;
}

/** The final answer the person rates, once the model has given it. */
export function finalAnswerOf(events: readonly ActorEvent[]): ActorMessage | null {
  return messagesOf(events).findLast((m) => m.role === 'assistant' && m.kind === 'final_answer') ?? null;
}

/** Questions the model has asked (not its answers). */
export function questionCount(events: readonly ActorEvent[]): number {
  return messagesOf(events).filter((m) => m.role === 'assistant' && m.kind === 'question' && !m.final).length;
}

export type QuestionTag = Extract<ActorEvent, { type: 'question_tagged' }>['tag'];

/** The latest tag the person gave each question, by turn. */
export function tagsOf(events: readonly ActorEvent[]): Map<number, QuestionTag> {
  const tags = new Map<number, QuestionTag>();
  for (const e of events) if (e.type === 'question_tagged') tags.set(e.turn, e.tag);
  return tags;
}
