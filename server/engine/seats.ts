import type { TokenUsage } from '../models/model-provider.ts';

/**
 * The two seats of an episode. The assistant seat holds the model under test; the user seat holds a simulated user
 * or a person. The engine does not know which: batch runs and live sessions differ only in what fills the seats.
 */

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AssistantReply {
  text: string;
  usage?: TokenUsage;
}

export interface AssistantSeat {
  /**
   * The model's next message given its system prompt (null for the generic baseline) and the visible conversation.
   * `onChunk` receives streamed text as it arrives (live play shows it to the person).
   */
  respond(input: {
    system: string | null;
    conversation: ChatTurn[];
    signal: AbortSignal;
    onChunk?: (delta: string) => void;
    onRestart?: () => void;
  }): Promise<AssistantReply>;
}

/** One completed question/answer exchange after the opening message. */
export interface Exchange {
  assistant: string;
  user: string;
  /**
   * The user was not asked: the engine answered an in-loop final answer with ###STOP### (only the fixed-K ablation
   * goes on after one). The reference's simulator records no user line for it, so its history shows none.
   */
  automaticStop?: true;
}

export interface UserReply {
  response: string;
  /** The user ended the conversation (###STOP###). Ignored in the fixed-K ablation, as in the reference. */
  terminate: boolean;
  /** The simulator's private reasoning, kept for audits; never shown to the assistant. */
  thought?: string;
  usage?: TokenUsage;
  /** Something went wrong but a reply was still produced (e.g. the reference's "I don't understand." fallback). */
  issue?: string;
  /** A person's reply carries the id their browser gave it, so a resend is stored once. */
  clientMessageId?: string;
}

export interface UserSeat {
  readonly kind: 'simulated' | 'person';
  /**
   * Answer the assistant's latest question. `history` holds the earlier exchanges (never the task text: the
   * reference's simulated user does not see it). A person may take minutes or never answer; implementations must
   * reject promptly when `signal` aborts.
   */
  reply(input: {
    turn: number;
    assistantMessage: string;
    history: Exchange[];
    signal: AbortSignal;
  }): Promise<UserReply>;
}
