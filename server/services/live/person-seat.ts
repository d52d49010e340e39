import { EpisodeFailure } from '../../engine/episode-errors.ts';
import { ModelCallError } from '../../models/model-provider.ts';
import type { Exchange, UserReply, UserSeat } from '../../engine/seats.ts';

export interface AwaitedReply {
  turn: number;
  assistantMessage: string;
  history: Exchange[];
}

/**
 * The user seat filled by a person in the browser. The engine asks for a reply; the live session delivers it when the
 * person's message has arrived (and been stored). The wait can be long, can end by timeout, or never end when the
 * person leaves: an abort rejects it.
 */
export class PersonSeat implements UserSeat {
  readonly kind = 'person' as const;
  private pending: { turn: number; resolve: (r: UserReply) => void; reject: (e: unknown) => void } | null = null;

  constructor(private readonly onAwaiting: (awaited: AwaitedReply) => void) {}

  /** The turn the seat is waiting on, or null. */
  get awaitingTurn(): number | null {
    return this.pending?.turn ?? null;
  }

  reply(input: {
    turn: number;
    assistantMessage: string;
    history: Exchange[];
    signal: AbortSignal;
  }): Promise<UserReply> {
    return new Promise<UserReply>((resolve, reject) => {
      if (input.signal.aborted) return reject(new ModelCallError('aborted', 'episode aborted', 0));
      const onAbort = (): void => {
        this.pending = null;
        reject(new ModelCallError('aborted', 'episode aborted', 0));
      };
      input.signal.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        turn: input.turn,
        resolve: (r) => {
          input.signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          input.signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      this.onAwaiting({ turn: input.turn, assistantMessage: input.assistantMessage, history: input.history });
    });
  }

  /** Hands the person's reply to the engine. False when no reply is awaited for that turn. */
  deliver(turn: number, text: string, clientMessageId: string): boolean {
    if (!this.pending || this.pending.turn !== turn) return false;
    const { resolve } = this.pending;
    this.pending = null;
    resolve({ response: text, terminate: false, clientMessageId });
    return true;
  }

  /** Ends the wait because the person was idle too long; the episode fails with that reason. */
  timeOut(seconds: number): void {
    if (!this.pending) return;
    const { reject } = this.pending;
    this.pending = null;
    reject(new EpisodeFailure('user', 'idle_timeout', `no reply from the person within ${seconds} s`));
  }
}
