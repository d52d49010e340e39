import type { ModelImage, ModelMessage, ModelProvider, ScriptHint } from '../models/model-provider.ts';
import type { AssistantReply, AssistantSeat, ChatTurn } from './seats.ts';

/** The assistant seat filled by a model: the model under test sees only its system prompt and the conversation. */
export class ModelAssistantSeat implements AssistantSeat {
  constructor(
    private readonly provider: ModelProvider,
    /** Only the scripted provider reads this; see ScriptHint. */
    private readonly hint?: ScriptHint,
    /**
     * `prefdisco run --image`: the record's image, sent with the opening message on every call, as the reference's
     * `_get_model_response` does. Only the model under test sees it; the episode log keeps the text.
     */
    private readonly openingImages?: readonly ModelImage[],
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
      ...input.conversation.map((turn, i): ModelMessage =>
        i === 0 && turn.role === 'user' && this.openingImages?.length ? { ...turn, images: this.openingImages } : turn,
      ),
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
