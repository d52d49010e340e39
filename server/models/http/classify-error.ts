import {
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  TypeValidationError,
} from 'ai';
import type { ModelErrorCode } from '../model-provider.ts';

export interface AttemptFailureOptions {
  retryable: boolean;
  status?: number;
  /** From a 429's Retry-After (or OpenAI's retry-after-ms) header. */
  retryAfterMs?: number;
  /** A short, redacted explanation from the provider or the network layer. */
  detail?: string;
  /** True when the attempt never reached the provider (cancelled in the queue, spend cap): not counted. */
  beforeRequest?: boolean;
}

/** Why one attempt failed; the retry loop turns the last one into a ModelCallError. */
export class AttemptFailure extends Error {
  constructor(
    readonly code: ModelErrorCode,
    /** What happened, e.g. "rate limited (429)"; the retry loop adds the attempt count. */
    readonly summary: string,
    readonly options: AttemptFailureOptions,
  ) {
    super(summary);
    this.name = 'AttemptFailure';
  }
}

export interface ClassifyContext {
  /** The caller's own signal: when it fired, the failure is a cancellation whatever the error says. */
  callerSignal?: AbortSignal;
  /** Whether this attempt's own time limit ended it. */
  timedOut: boolean;
  timeoutMs: number;
  now: () => number;
  /** Strings that must never appear in a message (the API key). */
  secrets: readonly string[];
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
]);
const NETWORK_MESSAGES = ['fetch failed', 'terminated', 'other side closed', 'socket hang up', 'cannot connect to api'];
const MAX_DETAIL_CHARS = 200;

export function classifyError(error: unknown, ctx: ClassifyContext): AttemptFailure {
  const detail = (text: string | undefined): string | undefined => redact(text, ctx.secrets);
  if (ctx.callerSignal?.aborted) return new AttemptFailure('aborted', 'cancelled', { retryable: false });
  if (ctx.timedOut || isNamed(error, 'TimeoutError')) {
    return new AttemptFailure('timeout', `timed out (limit ${ctx.timeoutMs} ms per attempt)`, { retryable: true });
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined && error.statusCode >= 400) {
    return classifyStatus(error.statusCode, error.responseHeaders ?? {}, detail(error.message), ctx.now);
  }
  const network = findNetworkError(error);
  if (network)
    return new AttemptFailure('connection', 'connection failed', { retryable: true, detail: detail(network) });
  if (isMalformedResponse(error)) {
    // A proxy's HTML error page or a truncated body: usually transient, so worth another attempt.
    const message = error instanceof Error ? error.message : undefined;
    return new AttemptFailure('server_error', 'malformed response from the server', {
      retryable: true,
      detail: detail(message),
    });
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AttemptFailure('unknown', 'unexpected error', { retryable: false, detail: detail(message) });
}

function classifyStatus(
  status: number,
  headers: Record<string, string>,
  detail: string | undefined,
  now: () => number,
): AttemptFailure {
  if (status === 429) {
    return new AttemptFailure('rate_limited', 'rate limited (429)', {
      retryable: true,
      status,
      detail,
      retryAfterMs: parseRetryAfter(headers, now),
    });
  }
  if (status === 401 || status === 403)
    return new AttemptFailure('auth', `authentication failed (${status})`, { retryable: false, status, detail });
  if (status === 408)
    return new AttemptFailure('timeout', 'request timeout (408)', { retryable: true, status, detail });
  if (status >= 500)
    return new AttemptFailure('server_error', `server error (${status})`, { retryable: true, status, detail });
  const what = status === 404 ? 'not found' : 'bad request';
  return new AttemptFailure('bad_request', `${what} (${status})`, { retryable: false, status, detail });
}

/** Retry-After is seconds or an HTTP date; OpenAI also sends retry-after-ms. Header names arrive lower-cased. */
export function parseRetryAfter(headers: Record<string, string>, now: () => number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

/** The network failure inside an error's cause chain (fetch wraps the socket error), as a message. */
function findNetworkError(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  let found = false;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as Error & { code?: unknown }).code;
    if (
      (typeof code === 'string' && NETWORK_CODES.has(code)) ||
      NETWORK_MESSAGES.some((m) => current instanceof Error && current.message.toLowerCase().includes(m))
    ) {
      found = true;
    }
    if (!(current.cause instanceof Error)) break;
    current = current.cause;
  }
  // The innermost error says most precisely what happened (e.g. "connect ECONNREFUSED 127.0.0.1:4000").
  return found && current instanceof Error ? current.message : undefined;
}

function isMalformedResponse(error: unknown): boolean {
  return (
    APICallError.isInstance(error) ||
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error)
  );
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === name;
}

/** One line, bounded, with every secret replaced: provider messages sometimes echo the key they rejected. */
export function redact(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  let clean = text.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join('[redacted]');
  if (clean.length > MAX_DETAIL_CHARS) clean = `${clean.slice(0, MAX_DETAIL_CHARS)}…`;
  return clean === '' ? undefined : clean;
}
