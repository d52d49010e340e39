import type { ActorEvent } from '../../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { responseText } from '../../engine/assistant-protocol.ts';

/** The person's view of one event, or null for events they must not see (see ActorEvent). */
export function actorView(event: EpisodeEvent, prevSeq: number): ActorEvent | null {
  const base = { seq: event.seq, prevSeq };
  switch (event.type) {
    case 'message':
      // The automatic ###STOP### after a final answer is not something the person said.
      if (event.kind === 'stop' || event.kind === 'final_prompt') return null;
      return {
        ...base,
        type: 'message',
        role: event.role,
        kind: event.kind,
        turn: event.turn,
        // The person reads the model's words, not the protocol lines around them.
        text: event.role === 'assistant' ? responseText(event.content) : event.content,
        // Whether the model answered rather than asked: then the person is not expected to reply.
        ...(event.role === 'assistant' ? { final: event.kind === 'final_answer' || event.action?.final === true } : {}),
        ...(event.regenerated ? { regenerated: true } : {}),
        ...(event.clientMessageId ? { clientMessageId: event.clientMessageId } : {}),
      };
    case 'question_tagged':
      return { ...base, type: 'question_tagged', turn: event.turn, tag: event.tag };
    case 'actor_rated':
      return { ...base, type: 'actor_rated' };
    case 'episode_completed':
      return { ...base, type: 'episode_completed' };
    case 'episode_failed':
      return { ...base, type: 'episode_failed', code: event.code };
    default:
      return null;
  }
}

/** The person's view of a stretch of the log, with `prevSeq` chained across hidden events. */
export function actorViews(events: readonly EpisodeEvent[], prevSeq: number): ActorEvent[] {
  const out: ActorEvent[] = [];
  let prev = prevSeq;
  for (const e of events) {
    const view = actorView(e, prev);
    if (view) {
      out.push(view);
      prev = view.seq;
    }
  }
  return out;
}
