import type { ClientToServerEvents } from '../../shared/protocol/events.ts';
import type { ActorEvent, ChunkMessage, PlaySnapshot } from '../../shared/protocol/live.ts';
import { request, until, type TestSocket } from './live-app.ts';

/** An actor's rating of the final answer, as sent with `episode:rate` (the episode is filled in). */
export type SelfRating = Omit<Parameters<ClientToServerEvents['episode:rate']>[0], 'episodeId'>;

/** What a browser keeps: events applied once by seq, and the streamed text of the current turn. */
export class ActorClient {
  readonly events = new Map<number, ActorEvent>();
  readonly chunks: ChunkMessage[] = [];
  constructor(readonly socket: TestSocket) {
    socket.on('episode:appended', ({ event }) => this.events.set(event.seq, event));
    socket.on('episode:chunked', (c) => this.chunks.push(c));
  }
  messages(kind?: string): Extract<ActorEvent, { type: 'message' }>[] {
    return [...this.events.values()]
      .filter((e): e is Extract<ActorEvent, { type: 'message' }> => e.type === 'message' && (!kind || e.kind === kind))
      .sort((a, b) => a.seq - b.seq);
  }
  /** The model's questions the person must answer (not its final answers). */
  questions(): Extract<ActorEvent, { type: 'message' }>[] {
    return this.messages().filter((m) => m.role === 'assistant' && !m.final);
  }
  lastSeq(): number {
    return Math.max(-1, ...this.events.keys());
  }
}

export interface PlayedEpisode {
  episodeId: string;
  /** The rubric's criteria, in the order the actor was shown them. */
  criteria: string[];
  /** How many of the model's questions the actor answered. */
  answered: number;
  /** The self-rating's ack: the task's completion code, or null while the task goes on. */
  completionCode: string | null;
}

/**
 * Plays one live episode to its end as a person would, over `socket`: starts it, answers every question the model
 * asks (tagging the first one "relevant" when `tagFirst`), waits for the episode to end and rates the final answer
 * with `rate(criteria)` (after `beforeRate`, if given).
 */
export async function playEpisode(
  socket: TestSocket,
  options: {
    rate: (criteria: string[]) => SelfRating;
    tagFirst?: boolean;
    /** Runs once the episode has completed, before the rating is sent. */
    beforeRate?: (episodeId: string) => Promise<void>;
  },
): Promise<PlayedEpisode> {
  const client = new ActorClient(socket);
  const snapshot: PlaySnapshot = await request(socket, 'play:start', {});
  const episodeId = snapshot.episodeId;
  for (const e of snapshot.events) client.events.set(e.seq, e);
  const questions = () => client.messages('question');
  const finished = () => client.messages('final_answer').length > 0;
  let answered = 0;
  while (!finished()) {
    await until(() => questions().length > answered || finished(), 10_000, 'a model turn');
    if (finished()) break;
    const question = questions()[answered]?.text ?? '';
    if (answered === 0 && options.tagFirst)
      await request(socket, 'episode:tag', { episodeId, turn: 0, tag: 'relevant' });
    const text = `Reply ${answered} to ${question.slice(0, 10)}`;
    await replyWhenAsked(socket, { episodeId, clientMessageId: `${episodeId}-reply-${answered}`, text }, finished);
    answered += 1;
  }
  await until(
    () => [...client.events.values()].some((e) => e.type === 'episode_completed'),
    10_000,
    'episode completed',
  );
  await options.beforeRate?.(episodeId);
  const criteria = snapshot.rubric.map((c) => c.preference);
  const rated = await request(socket, 'episode:rate', { episodeId, ...options.rate(criteria) });
  return { episodeId, criteria, answered, completionCode: rated.completionCode };
}

/**
 * Sends a reply, again a moment later while the server says it has asked nothing yet: the question reaches the browser
 * as soon as it is stored, which can be a moment before the seat waits for the answer. The last question the turn
 * limit allows is answered by the engine's automatic stop instead (hidden from the person): then the final answer
 * follows (`over` turns true) or the episode has already ended, and nothing is sent.
 */
async function replyWhenAsked(
  socket: TestSocket,
  payload: { episodeId: string; clientMessageId: string; text: string },
  over: () => boolean,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await request(socket, 'episode:reply', payload);
      return;
    } catch (error) {
      if (over() || String(error).includes('episode_closed')) return;
      if (attempt >= 100 || !String(error).includes('not_your_turn')) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
