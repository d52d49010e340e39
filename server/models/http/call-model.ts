import { generateText, streamText, type LanguageModelUsage, type ModelMessage as SdkModelMessage } from 'ai';
import type { ReasoningEffort } from '../../../shared/schemas/models.ts';
import type { ModelMessage } from '../model-provider.ts';
import type { SdkLanguageModel } from './create-language-model.ts';
import type { SdkProviderOptions } from './reasoning-options.ts';

export interface CallSettings {
  messages: ModelMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  topP?: number;
  seed?: number;
  /** Sent as `reasoning_effort` by the direct OpenAI-compatible call; the AI SDK path gets it in providerOptions. */
  reasoningEffort?: ReasoningEffort;
  /** The provider's own options (reasoning-options.ts), for the AI SDK path. */
  providerOptions?: SdkProviderOptions;
}

export interface CallOutput {
  text: string;
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * One HTTP attempt through the AI SDK. Retries are ours (maxRetries: 0) so that every attempt gets its own timeout
 * and is counted; errors propagate raw for classify-error.ts.
 */
export async function callModel(
  model: SdkLanguageModel,
  settings: CallSettings,
  signal: AbortSignal,
  onChunk?: (delta: string) => void,
): Promise<CallOutput> {
  const common = {
    model,
    messages: settings.messages.map(sdkMessage),
    temperature: settings.temperature,
    maxOutputTokens: settings.maxOutputTokens,
    topP: settings.topP,
    seed: settings.seed,
    ...(settings.providerOptions ? { providerOptions: settings.providerOptions } : {}),
    maxRetries: 0,
    abortSignal: signal,
    // Our system prompts are our own text, not user input: the SDK's prompt-injection warning does not apply.
    allowSystemInMessages: true,
  };
  if (!onChunk) {
    const result = await generateText(common);
    return { text: result.text, finishReason: result.finishReason, ...tokens(result.usage) };
  }

  // The SDK's default onError writes to the console; errors reach us as 'error' parts of the stream instead.
  const result = streamText({ ...common, onError: () => undefined });
  let text = '';
  let finishReason = 'unknown';
  let usage: LanguageModelUsage | undefined;
  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'text-delta':
        text += part.text;
        onChunk(part.text);
        break;
      case 'finish':
        finishReason = part.finishReason;
        usage = part.totalUsage;
        break;
      case 'error':
        throw part.error;
      case 'abort':
        throw signal.reason ?? new Error('stream aborted');
      default:
        break;
    }
  }
  // A stream cut short by the signal may simply end; the signal, not the partial text, says what happened.
  if (signal.aborted) throw signal.reason;
  return { text, finishReason, ...tokens(usage) };
}

/** A user message with images becomes the SDK's content parts: the text, then each image with its media type. */
function sdkMessage(m: ModelMessage): SdkModelMessage {
  if (m.role !== 'user' || !m.images?.length) return { role: m.role, content: m.content };
  return {
    role: 'user',
    content: [
      { type: 'text', text: m.content },
      ...m.images.map((i) => ({ type: 'image' as const, image: i.data, mediaType: i.mediaType })),
    ],
  };
}

function tokens(usage: LanguageModelUsage | undefined): Pick<CallOutput, 'inputTokens' | 'outputTokens'> {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}
