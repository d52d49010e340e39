import type { ModelConfig } from '../../shared/schemas/models.ts';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../server/models/model-provider.ts';

/**
 * A model stand-in for engine tests: answers each call with the next planned reply (or a function of the request)
 * and records every request, so tests can assert on exactly what each party was shown.
 */
export class RecordingProvider implements ModelProvider {
  readonly isTestModel = true;
  readonly config: ModelConfig;
  readonly requests: ModelRequest[] = [];

  constructor(
    private readonly answer: (request: ModelRequest, index: number) => string | Error,
    name = 'recording',
  ) {
    this.config = ModelConfigSchema.parse({ name, provider: 'scripted', model: name });
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const reply = this.answer(request, this.requests.length - 1);
    if (reply instanceof Error) throw reply;
    request.onChunk?.(reply);
    return {
      text: reply,
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1, costUsd: null },
      attempts: 1,
      cached: false,
      latencyMs: 0,
    };
  }
}
