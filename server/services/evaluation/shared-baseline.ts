import type { EvalResult } from '../../../shared/schemas/evaluation.ts';
import type { ModelMessage, ModelProvider, ModelRequest, ModelResponse } from '../../models/model-provider.ts';

function keyOf(messages: readonly ModelMessage[]): string {
  return JSON.stringify(messages.map((m) => [m.role, m.content]));
}

/**
 * `--share-baseline`: one baseline (no_prompt) answer per problem, reused by every persona of that problem, as the
 * reference's response cache does (its baseline call is only the opening message, so the same messages get the same
 * cached answer). Each persona's answer is still judged against that persona's rubric. Answers are keyed, like the
 * reference's cache, by the messages sent; a rerun that resumes the run reuses the answers its results file holds.
 */
export class SharedBaselines {
  readonly #answers = new Map<string, Promise<ModelResponse>>();

  /** Seeds the answers from baseline lines an earlier run wrote (their conversation is the messages plus the answer). */
  constructor(earlier: readonly EvalResult[] = []) {
    for (const r of earlier) {
      const last = r.conversation.at(-1);
      if (r.mode !== 'no_prompt' || last?.role !== 'assistant') continue;
      const key = keyOf(r.conversation.slice(0, -1));
      if (this.#answers.has(key)) continue;
      this.#answers.set(key, Promise.resolve(reused(last.content)));
    }
  }

  /** The model under test for one baseline episode: its call is made once per distinct message list. */
  assistant(inner: ModelProvider): ModelProvider {
    return {
      config: inner.config,
      isTestModel: inner.isTestModel,
      complete: (request) => this.#complete(inner, request),
    };
  }

  async #complete(inner: ModelProvider, request: ModelRequest): Promise<ModelResponse> {
    const key = keyOf(request.messages);
    for (;;) {
      const pending = this.#answers.get(key);
      if (!pending) {
        const call = inner.complete(request);
        this.#answers.set(key, call);
        // A failed answer is not shared: whoever asks next makes the call again.
        call.catch(() => {
          if (this.#answers.get(key) === call) this.#answers.delete(key);
        });
        return call;
      }
      try {
        const original = await pending;
        request.onChunk?.(original.text);
        // Nothing was sent or billed for this episode's answer.
        return {
          ...original,
          usage: { ...original.usage, costUsd: original.usage.costUsd === null ? null : 0 },
          attempts: 0,
          cached: true,
          latencyMs: 0,
        };
      } catch (error) {
        if (request.signal?.aborted) throw error;
        // The call waited on failed or was cancelled with its own episode: ask again (one waiter makes the call).
        if (this.#answers.get(key) === pending) this.#answers.delete(key);
      }
    }
  }
}

function reused(text: string): ModelResponse {
  return {
    text,
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0, costUsd: null },
    attempts: 0,
    cached: true,
    latencyMs: 0,
  };
}
