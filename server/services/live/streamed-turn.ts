import type { StreamingTurn } from '../../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { CHUNK_WINDOW_MS, ChunkCoalescer } from './chunk-coalescer.ts';
import type { LiveDeps } from './live-types.ts';

function isAssistantMessage(e: EpisodeEvent): boolean {
  return e.type === 'message' && e.role === 'assistant';
}

/**
 * The model turn of one live episode (RunningEpisode) being streamed to browsers: its deltas sent in pieces
 * (chunk-coalescer.ts), numbered by the turn the model is answering.
 */
export class StreamedTurn {
  private readonly chunks: ChunkCoalescer;
  /** Assistant messages in the log so far: the turn being streamed, counted as they come rather than per chunk. */
  private assistantMessages: number;

  constructor(
    episodeId: string,
    deps: Pick<LiveDeps, 'broadcast' | 'chunkWindowMs'>,
    existing: readonly EpisodeEvent[],
  ) {
    this.chunks = new ChunkCoalescer(deps.chunkWindowMs ?? CHUNK_WINDOW_MS, (turn, index, delta, restart) =>
      deps.broadcast.chunk(episodeId, { episodeId, turn, index, delta, ...(restart ? { restart } : {}) }),
    );
    this.assistantMessages = existing.filter(isAssistantMessage).length;
  }

  /** What browsers have been sent of the turn so far. */
  get streaming(): StreamingTurn | null {
    return this.chunks.streaming;
  }

  /** An event is appended to the log. */
  appended(event: EpisodeEvent): void {
    // The last pieces of a model turn go out before its whole message can be announced.
    if (isAssistantMessage(event)) {
      this.chunks.flush();
      this.assistantMessages += 1;
    }
  }

  /** An event is stored and announced: a model's message ends the streaming of its turn. */
  announced(event: EpisodeEvent): void {
    if (isAssistantMessage(event)) this.chunks.ended();
  }

  onChunk(delta: string): void {
    this.chunks.add(this.turnOfNextAssistantMessage(), delta);
  }

  /** A retried model call streams its turn again from the start: browsers drop what they showed (`restart: true`). */
  onRestart(): void {
    this.chunks.restart(this.turnOfNextAssistantMessage());
  }

  /** The episode stopped: nothing more is sent. */
  discard(): void {
    this.chunks.discard();
  }

  /** The turn number the model is currently answering: questions asked so far (the final answer gets the next). */
  private turnOfNextAssistantMessage(): number {
    return this.assistantMessages;
  }
}
