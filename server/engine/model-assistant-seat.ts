import type { ModelMessage, ModelProvider, ScriptHint } from '../models/model-provider.ts';
import type { AssistantReply, AssistantSeat, ChatTurn } from './seats.ts';

/** The assistant seat filled by a model: the model under test sees only its system prompt and the conversation. */
export class ModelAssistantSeat implements AssistantSeat {
  constructor(
    private readonly provider: ModelProvider,
    /** Only the scripted provider reads this; see ScriptHint. */
    private readonly hint?: ScriptHint,
  ) {}

  async respond(input: {
    system: string | null;
    conversation: ChatTurn[];
    signal: AbortSignal;
    onChunk?: (delta: string) => void;
    onRestart?: () => void;
  }): Promise<AssistantReply> {
    const messages: ModelMessage[] = [
      ...(input.system === null ? [] : [{ role: 'system' as const, content: input.system }]),
      ...input.conversation,
    ];
    const response = await this.provider.complete({
      messages,
      purpose: 'assistant',
      signal: input.signal,
      ...(input.onChunk ? { onChunk: input.onChunk } : {}),
      ...(input.onRestart ? { onRestart: input.onRestart } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    });
    return { text: response.text, usage: response.usage };
  }
}
