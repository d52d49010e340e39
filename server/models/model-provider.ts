import type { ModelConfig } from '../../shared/schemas/models.ts';

/** Who is calling: used for accounting, for logs, and by the scripted provider to pick its behaviour. */
export const CALL_PURPOSES = [
  'assistant',
  'simulated_user',
  'rubric_judge',
  'correctness_judge',
  'disclosure_labeler',
  // Benchmark generation (`prefdisco generate`, server/generation/).
  'persona_generation',
  'persona_coherence_check',
  'general_dimensions',
  'dimension_proposal',
  'dimension_dedup',
  'preference_instantiation',
  'rubric_generation',
] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];

/** An image sent with a message: the file's own bytes and the media type they are in. */
export interface ModelImage {
  /** image/png, image/jpeg, image/gif or image/webp (server/services/benchmark/image-file.ts). */
  mediaType: string;
  data: Uint8Array;
}

export interface ModelMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * Images sent after the text, on user messages only (`prefdisco run --image` attaches a record's image to the
   * opening message, as the reference does). Providers ignore them on other roles; the scripted provider ignores them.
   */
  images?: readonly ModelImage[];
}

/**
 * Structured facts about the call that only the offline `scripted` provider reads (HTTP providers ignore it):
 * it lets a deterministic stand-in play each role without parsing prompts. It never carries anything the role
 * would not see in its prompt.
 */
export type ScriptHint = Readonly<Record<string, unknown>>;

export interface ModelRequest {
  messages: ModelMessage[];
  purpose: CallPurpose;
  /** Overrides the model's configured temperature (the reference uses 0.4 for the simulator, 0.1 for the judge). */
  temperature?: number;
  maxTokens?: number;
  /**
   * Ask for a JSON object. Providers use their JSON mode where they have one; the caller still parses leniently
   * and validates, as the reference does.
   */
  json?: boolean;
  /** When set, the reply is streamed: each text delta is passed here as it arrives. */
  onChunk?: (delta: string) => void;
  /**
   * Called before a streamed call is attempted again after a failure: the deltas sent so far belong to the failed
   * attempt and must be discarded; the new attempt's deltas start from the beginning.
   */
  onRestart?: () => void;
  /** Cancels the call (Ctrl-C, a closed session). A cancelled call rejects with ModelCallError code 'aborted'. */
  signal?: AbortSignal;
  hint?: ScriptHint;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** USD, from the model's configured prices; null when no price is configured. */
  costUsd: number | null;
}

export interface ModelResponse {
  text: string;
  /** The provider's finish reason ('stop', 'length', …); kept for provenance. */
  finishReason: string;
  usage: TokenUsage;
  /** Attempts made, 1 when the first call succeeded. */
  attempts: number;
  cached: boolean;
  latencyMs: number;
}

export const MODEL_ERROR_CODES = [
  'rate_limited',
  'server_error',
  'timeout',
  'connection',
  'empty_output',
  'bad_request',
  'auth',
  'aborted',
  'spend_cap',
  'unknown',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

/** A call that failed for good (after retries where retrying makes sense). `message` never contains the API key. */
export class ModelCallError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

/**
 * One model behind one interface. Implementations: `scripted` (offline, deterministic, for demos and tests only) and
 * AI SDK-backed HTTP providers. The AI SDK is imported only inside server/models/.
 */
export interface ModelProvider {
  readonly config: ModelConfig;
  /** True for the scripted provider: its numbers must never be reported as research results. */
  readonly isTestModel: boolean;
  complete(request: ModelRequest): Promise<ModelResponse>;
  /** How this model's calls have been failing in this process (HTTP providers); for the researcher's live monitor. */
  health?(): ModelHealth;
}

/**
 * A model's failures since the process started. A retried failure slows a session down without ending it; the
 * researcher still needs to see it (a provider that rate-limits every third call makes every session slow).
 */
export interface ModelHealth {
  /** Calls that went to the provider. */
  calls: number;
  /** Attempts beyond each call's first. */
  retries: number;
  /** Calls that failed for good, after their retries (cancellations are not counted). */
  failedCalls: number;
  /** Failed attempts by error code, retried or not (cancellations are not counted). */
  failedAttempts: Partial<Record<ModelErrorCode, number>>;
  lastFailure: { code: ModelErrorCode; message: string; at: string; final: boolean } | null;
}
