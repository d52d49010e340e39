import type { ModelConfig } from '../../../shared/schemas/models.ts';
import {
  ModelCallError,
  type ModelErrorCode,
  type ModelHealth,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type TokenUsage,
} from '../model-provider.ts';
import { ConcurrencyLimit } from '../concurrency-limit.ts';
import { resolveSampling } from '../sampling-defaults.ts';
import { callModel, type CallOutput, type CallSettings } from './call-model.ts';
import { attemptSignal } from './attempt-signal.ts';
import { AttemptFailure, classifyError } from './classify-error.ts';
import { createLanguageModels, type LanguageModels } from './create-language-model.ts';
import { appendJsonInstruction, stripJsonFences } from './json-mode.ts';
import { createOpenAiCompatibleCall, type OpenAiCompatibleCall } from './openai-compatible-call.ts';
import { reasoningProviderOptions, thinkingRefusesTemperature } from './reasoning-options.ts';
import { messagesForKey, ResponseCache } from './response-cache.ts';
import { abortableSleep, withRetries, type RetryPolicy, type Sleep } from './retry.ts';

export interface AiSdkProviderOptions {
  config: ModelConfig;
  /** Resolved by the caller from the variable `config.apiKeyEnv` names. */
  apiKey?: string;
  /** Injectable for tests only. */
  now?: () => number;
  sleep?: Sleep;
}

export interface ProviderTotals {
  /** Calls that went to the provider (cache hits excluded), whether or not they succeeded. */
  calls: number;
  /** Tokens billed, including attempts whose reply was unusable (empty). */
  inputTokens: number;
  outputTokens: number;
  /** Null when the model has no configured prices. */
  costUsd: number | null;
  /** Attempts beyond each call's first. */
  retries: number;
}

interface PreparedCall {
  settings: CallSettings;
  json: boolean;
  cacheKey: string;
}

/**
 * A model reached over HTTP (through the AI SDK, or directly for OpenAI-compatible servers), with our own retries,
 * timeouts, concurrency limit, costs and cache.
 */
export class AiSdkProvider implements ModelProvider {
  readonly config: ModelConfig;
  readonly isTestModel = false;
  readonly #models: LanguageModels;
  /** OpenAI-compatible servers are called directly (openai-compatible-call.ts says why); the rest through the AI SDK. */
  readonly #direct: OpenAiCompatibleCall | null;
  readonly #secrets: string[];
  readonly #now: () => number;
  readonly #policy: RetryPolicy;
  readonly #limit: ConcurrencyLimit;
  readonly #cache: ResponseCache<ModelResponse> | null;
  readonly #totals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, retries: 0 };
  readonly #failures: Pick<ModelHealth, 'failedCalls' | 'failedAttempts' | 'lastFailure'> = {
    failedCalls: 0,
    failedAttempts: {},
    lastFailure: null,
  };

  constructor(options: AiSdkProviderOptions) {
    this.config = options.config;
    this.#models = createLanguageModels(options.config, options.apiKey);
    const { provider, baseUrl, model } = options.config;
    this.#direct =
      provider === 'openai-compatible' && baseUrl
        ? createOpenAiCompatibleCall(baseUrl, model, options.apiKey, options.config.maxConcurrency)
        : null;
    this.#secrets = options.apiKey ? [options.apiKey] : [];
    this.#now = options.now ?? Date.now;
    this.#policy = {
      maxRetries: options.config.maxRetries,
      baseDelayMs: options.config.retryBaseDelayMs,
      sleep: options.sleep ?? abortableSleep,
      random: Math.random,
    };
    this.#limit = new ConcurrencyLimit(options.config.maxConcurrency);
    this.#cache = options.config.cache ? new ResponseCache<ModelResponse>() : null;
  }

  get totals(): ProviderTotals {
    return { ...this.#totals, costUsd: this.config.pricePerMillion ? this.#totals.costUsd : null };
  }

  health(): ModelHealth {
    const f = this.#failures;
    return {
      calls: this.#totals.calls,
      retries: this.#totals.retries,
      failedCalls: f.failedCalls,
      failedAttempts: { ...f.failedAttempts },
      lastFailure: f.lastFailure && { ...f.lastFailure },
    };
  }

  #noteFailure(code: ModelErrorCode, message: string, final: boolean): void {
    // A cancellation is the caller's decision (the episode ended), not the provider failing.
    if (code === 'aborted') return;
    const f = this.#failures;
    f.failedAttempts[code] = (f.failedAttempts[code] ?? 0) + 1;
    if (final) f.failedCalls++;
    f.lastFailure = { code, message, at: new Date(this.#now()).toISOString(), final };
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const started = this.#now();
    if (request.signal?.aborted) throw new ModelCallError('aborted', 'cancelled before the call started', 0);
    const call = this.#prepare(request);
    return this.#cache
      ? this.#completeCached(this.#cache, call, request, started)
      : this.#fetch(call, request, started);
  }

  #prepare(request: ModelRequest): PreparedCall {
    const json = request.json === true;
    // The role's defaults, the model's parameters and the call's own values, in that precedence (docs/engine.md).
    const { temperature, maxTokens, topP, seed, reasoningEffort } = resolveSampling(this.config, request);
    const providerOptions = reasoningProviderOptions(this.config, reasoningEffort);
    const settings: CallSettings = {
      messages: json ? appendJsonInstruction(request.messages) : request.messages,
      temperature: thinkingRefusesTemperature(this.config, reasoningEffort) ? undefined : temperature,
      maxOutputTokens: maxTokens,
      topP,
      seed,
      ...(reasoningEffort !== undefined ? { reasoningEffort } : {}),
      ...(providerOptions ? { providerOptions } : {}),
    };
    // The key serialises every message; without a cache it would be built for nothing on every call.
    const cacheKey = this.#cache
      ? ResponseCache.key([
          messagesForKey(request.messages),
          temperature ?? null,
          maxTokens ?? null,
          json,
          reasoningEffort ?? null,
        ])
      : '';
    return { settings, json, cacheKey };
  }

  async #completeCached(
    cache: ResponseCache<ModelResponse>,
    call: PreparedCall,
    request: ModelRequest,
    started: number,
  ): Promise<ModelResponse> {
    let failed: Promise<ModelResponse> | undefined;
    for (;;) {
      const pending = cache.get(call.cacheKey);
      if (!pending || pending === failed) return cache.start(call.cacheKey, () => this.#fetch(call, request, started));
      try {
        const original = await whileNotAborted(pending, request.signal);
        // A caller that streams still gets the text, in one piece.
        request.onChunk?.(original.text);
        // Nothing was sent or billed for this call: report the original's tokens but no cost and no attempts.
        const usage: TokenUsage = { ...original.usage, costUsd: original.usage.costUsd === null ? null : 0 };
        return { ...original, usage, attempts: 0, cached: true, latencyMs: this.#now() - started };
      } catch (error) {
        // The identical call we joined was cancelled by its own caller; this caller still wants an answer.
        const joinedWasCancelled =
          error instanceof ModelCallError && error.code === 'aborted' && !request.signal?.aborted;
        if (!joinedWasCancelled) throw error;
        failed = pending;
      }
    }
  }

  async #fetch(call: PreparedCall, request: ModelRequest, started: number): Promise<ModelResponse> {
    const capReached = this.#spendCapFailure();
    if (capReached) throw new ModelCallError('spend_cap', capReached.summary, 0);
    this.#totals.calls++;
    let result: { value: CallOutput; attempts: number };
    try {
      result = await withRetries(this.#policy, request.signal, () => this.#attempt(call, request), {
        onRetry: (failure) => {
          this.#totals.retries++;
          this.#noteFailure(
            failure.code,
            failure.options.detail ? `${failure.summary}: ${failure.options.detail}` : failure.summary,
            false,
          );
          // A streamed attempt that failed may have sent part of its text: tell the listener to drop it.
          if (request.onChunk) request.onRestart?.();
        },
      });
    } catch (error) {
      if (error instanceof ModelCallError && !request.signal?.aborted)
        this.#noteFailure(error.code, error.message, true);
      throw error;
    }
    const { value, attempts } = result;
    return {
      text: value.text,
      finishReason: value.finishReason,
      usage: this.#usage(value.inputTokens, value.outputTokens),
      attempts,
      cached: false,
      latencyMs: this.#now() - started,
    };
  }

  /** One attempt: wait for a slot, then call with this attempt's own timeout. Throws AttemptFailure only. */
  async #attempt(call: PreparedCall, request: ModelRequest): Promise<CallOutput> {
    let started = false;
    try {
      return await this.#limit.run(() => {
        started = true;
        return this.#attemptInSlot(call, request);
      }, request.signal);
    } catch (error) {
      if (started) throw error;
      throw new AttemptFailure('aborted', 'cancelled while waiting for a free slot', {
        retryable: false,
        beforeRequest: true,
      });
    }
  }

  async #attemptInSlot(call: PreparedCall, request: ModelRequest): Promise<CallOutput> {
    // Checked again here: calls queued behind the one that reached the cap must not go out.
    const capReached = this.#spendCapFailure();
    if (capReached) throw capReached;
    const attempt = attemptSignal(request.signal, this.config.timeoutMs);
    const model = call.json ? this.#models.json : this.#models.text;
    let output: CallOutput;
    try {
      output = this.#direct
        ? await this.#direct(call.settings, call.json, attempt.signal, request.onChunk)
        : await callModel(model, call.settings, attempt.signal, request.onChunk);
    } catch (error) {
      throw classifyError(error, {
        callerSignal: request.signal,
        timedOut: attempt.timedOut(),
        timeoutMs: this.config.timeoutMs,
        now: this.#now,
        secrets: this.#secrets,
      });
    } finally {
      attempt.end();
    }
    this.#account(output.inputTokens, output.outputTokens);
    const text = call.json ? stripJsonFences(output.text) : output.text;
    if (text.trim() === '') throw new AttemptFailure('empty_output', 'empty output', { retryable: true });
    return { ...output, text };
  }

  #usage(inputTokens: number, outputTokens: number): TokenUsage {
    const price = this.config.pricePerMillion;
    const costUsd = price ? (inputTokens * price.input) / 1e6 + (outputTokens * price.output) / 1e6 : null;
    return { inputTokens, outputTokens, costUsd };
  }

  #account(inputTokens: number, outputTokens: number): void {
    this.#totals.inputTokens += inputTokens;
    this.#totals.outputTokens += outputTokens;
    this.#totals.costUsd += this.#usage(inputTokens, outputTokens).costUsd ?? 0;
  }

  /** The cap can only be enforced for a priced model; calls already in flight when it is reached still finish. */
  #spendCapFailure(): AttemptFailure | undefined {
    const cap = this.config.spendCapUsd;
    if (cap === undefined || !this.config.pricePerMillion || this.#totals.costUsd < cap) return undefined;
    const summary = `spend cap of $${cap} reached for model "${this.config.name}" ($${this.#totals.costUsd.toFixed(4)} spent)`;
    return new AttemptFailure('spend_cap', summary, { retryable: false, beforeRequest: true });
  }
}

/** Waits for `promise`, but gives up with 'aborted' as soon as the caller's signal fires. */
function whileNotAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(new ModelCallError('aborted', 'cancelled while waiting for an identical call', 0));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
