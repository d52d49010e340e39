import type { ModelConfig } from '../../../shared/schemas/models.ts';
import { describeError } from '../../../shared/errors.ts';
import { extractJson } from '../../engine/lenient-json.ts';
import { ModelRegistry, ModelsConfigError } from '../../models/model-registry.ts';
import { ModelCallError, type ModelProvider, type ModelResponse } from '../../models/model-provider.ts';

/**
 * `prefdisco models check`: a researcher's first contact with a real endpoint should be a clear yes or no. Each model
 * gets one tiny streamed call (what live play and the assistant seat do) and one JSON-mode call (what the judges and
 * the simulator do), with no retries and a short timeout, so a wrong URL, key, deployment or region shows at once.
 */

/** What one call of the check did. */
export interface CallCheck {
  ok: boolean;
  /** Why it failed: the provider's error code ('auth', 'connection', 'timeout', …) or 'not_json' / 'empty'. */
  error: string | null;
  message: string | null;
  /** Until the first streamed chunk (streamed call only). */
  firstChunkMs: number | null;
  totalMs: number;
  inputTokens: number;
  outputTokens: number;
  /** USD from the model's configured prices; null without prices. */
  costUsd: number | null;
  /** The start of the reply, to show the endpoint really answered. */
  replyStart: string;
}

export interface ModelCheck {
  name: string;
  provider: ModelConfig['provider'];
  model: string;
  /** Set when the model could not even be set up (e.g. its API key variable is not set); no call was made. */
  setupError: string | null;
  streamed: CallCheck | null;
  json: CallCheck | null;
  ok: boolean;
}

const STREAM_PROMPT = 'This is a connection test. Reply with the single word: ready';
const JSON_PROMPT =
  'This is a connection test. Reply with a JSON object whose only key is "ok" and whose value is true.';
/**
 * Enough for a one-word or one-key reply, also from models that think first: the JSON call goes as a judge (the role
 * that uses JSON mode), whose role default is high reasoning effort, and a trivial question leaves most of this cap
 * for the answer.
 */
const CHECK_MAX_TOKENS = 2048;

function failure(error: unknown, started: number, now: () => number): CallCheck {
  const code = error instanceof ModelCallError ? error.code : 'error';
  return {
    ok: false,
    error: code,
    message: describeError(error),
    firstChunkMs: null,
    totalMs: now() - started,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    replyStart: '',
  };
}

function success(response: ModelResponse, firstChunkMs: number | null, problem: string | null): CallCheck {
  return {
    ok: problem === null,
    error: problem === null ? null : problem === 'empty reply' ? 'empty' : 'not_json',
    message: problem,
    firstChunkMs,
    totalMs: response.latencyMs,
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    costUsd: response.usage.costUsd,
    replyStart: response.text.trim().slice(0, 60),
  };
}

async function streamedCall(provider: ModelProvider, now: () => number): Promise<CallCheck> {
  const started = now();
  let firstChunkMs: number | null = null;
  try {
    const response = await provider.complete({
      messages: [{ role: 'user', content: STREAM_PROMPT }],
      purpose: 'assistant',
      maxTokens: CHECK_MAX_TOKENS,
      onChunk: (delta) => {
        if (firstChunkMs === null && delta.length > 0) firstChunkMs = now() - started;
      },
      onRestart: () => {
        firstChunkMs = null;
      },
    });
    return success(response, firstChunkMs, response.text.trim() ? null : 'empty reply');
  } catch (error) {
    return failure(error, started, now);
  }
}

async function jsonCall(provider: ModelProvider, now: () => number): Promise<CallCheck> {
  const started = now();
  try {
    const response = await provider.complete({
      messages: [{ role: 'user', content: JSON_PROMPT }],
      purpose: 'rubric_judge',
      maxTokens: CHECK_MAX_TOKENS,
      json: true,
    });
    const parsed = extractJson(response.text);
    const isObject = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null;
    return success(response, null, isObject ? null : `the reply is not a JSON object: "${response.text.slice(0, 60)}"`);
  } catch (error) {
    return failure(error, started, now);
  }
}

export interface ModelCheckOptions {
  /** Per-call timeout; the models file's own timeout applies when it is shorter. */
  timeoutMs: number;
  now?: () => number;
}

/**
 * Checks the given declared models, all at once (each model's two calls one after the other), and returns them in
 * the order given. Retries are off: the check reports the first answer, which is what a researcher needs to fix.
 */
export async function checkModels(
  configs: readonly ModelConfig[],
  secret: (variable: string) => string | undefined,
  options: ModelCheckOptions,
): Promise<ModelCheck[]> {
  const now = options.now ?? (() => performance.now());
  const quick = configs.map((c) => ({ ...c, maxRetries: 0, timeoutMs: Math.min(c.timeoutMs, options.timeoutMs) }));
  const registry = new ModelRegistry(quick, secret);
  return Promise.all(
    quick.map(async (config): Promise<ModelCheck> => {
      const base = { name: config.name, provider: config.provider, model: config.model };
      let provider: ModelProvider;
      try {
        provider = registry.get(config.name);
      } catch (error) {
        if (!(error instanceof ModelsConfigError)) throw error;
        return { ...base, setupError: error.message, streamed: null, json: null, ok: false };
      }
      const streamed = await streamedCall(provider, now);
      const json = await jsonCall(provider, now);
      return { ...base, setupError: null, streamed, json, ok: streamed.ok && json.ok };
    }),
  );
}
