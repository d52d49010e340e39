import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../server/models/model-provider.ts';

/** A model with a fixed latency per call: the scripted model's answers, delivered after `delayMs`. */
export class DelayedProvider implements ModelProvider {
  calls = 0;

  constructor(
    private readonly inner: ModelProvider,
    private readonly delayMs: number,
  ) {}

  get config(): ModelProvider['config'] {
    return this.inner.config;
  }

  get isTestModel(): boolean {
    return this.inner.isTestModel;
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    this.calls += 1;
    await sleep(this.delayMs, undefined, request.signal ? { signal: request.signal } : {});
    return this.inner.complete(request);
  }
}
