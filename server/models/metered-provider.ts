import type { ModelProvider, ModelRequest, ModelResponse } from './model-provider.ts';

export interface UsageTotals {
  calls: number;
  failedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** null while no call has had a price. */
  costUsd: number | null;
}

/** Counts calls, tokens and cost of a provider, for progress lines and run summaries. */
export class MeteredProvider implements ModelProvider {
  readonly totals: UsageTotals = { calls: 0, failedCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: null };

  constructor(private readonly inner: ModelProvider) {}

  get config(): ModelProvider['config'] {
    return this.inner.config;
  }

  get isTestModel(): boolean {
    return this.inner.isTestModel;
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    this.totals.calls += 1;
    try {
      const response = await this.inner.complete(request);
      this.totals.inputTokens += response.usage.inputTokens;
      this.totals.outputTokens += response.usage.outputTokens;
      if (response.usage.costUsd !== null) this.totals.costUsd = (this.totals.costUsd ?? 0) + response.usage.costUsd;
      return response;
    } catch (error) {
      this.totals.failedCalls += 1;
      throw error;
    }
  }
}
