import { z } from 'zod';
import { ErrorBodySchema, type ErrorIssue } from '../../../shared/errors.ts';

/**
 * The HTTP plumbing under api.ts, auth-api.ts, research-api.ts and study-admin-api.ts: one fetch wrapper, refusals
 * turned into ApiError from the server's ErrorBody, and every answer parsed with the same shared zod schema the route
 * declares (shared/schemas/api-*.ts), so a server that drifts from `shared/` fails loudly here.
 */

/** One field the server refused: `path` is a JSON path such as `$.models[0]`. */
export type ApiIssue = ErrorIssue;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** The server's closed code (shared/errors.ts), or `network` / `bad_response` for failures on this side. */
    readonly code: string | null,
    /** The refusal's parsed JSON body, for callers that read more than the message (an import's line-numbered issues). */
    readonly body: unknown = null,
    /** The fields the server named (400 invalid_payload), so forms can show each at its field. */
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The refusal's structured extras (`ErrorBody.details`: the declared models, an import's report), if any. */
  get details(): Record<string, unknown> | null {
    const parsed = ErrorBodySchema.safeParse(this.body);
    return parsed.success ? (parsed.data.details ?? null) : null;
  }
}

async function errorFrom(response: Response, what: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: typically the dev proxy's own page when the API server is down.
  }
  // Every refusal of this server is an ErrorBody (shared/errors.ts); anything else came from something in between.
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { error, message, issues } = parsed.data;
    return new ApiError(message, response.status, error, body, issues ?? []);
  }
  return new ApiError(
    `${what} failed with HTTP ${response.status} ${response.statusText}`.trim(),
    response.status,
    null,
    body,
  );
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON; state-changing requests must be JSON and same-origin. */
  body?: unknown;
  /** Sent as it is instead of JSON (a file upload), with this content type. */
  file?: { data: Blob; contentType: string };
  signal?: AbortSignal;
}

export async function requestJson<S extends z.ZodType>(
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<z.infer<S>> {
  const method = options.method ?? 'GET';
  const what = `${method} ${path.split('?')[0]}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.file) headers['Content-Type'] = options.file.contentType;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ? options.file.data : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(`Could not reach the PrefDisco server (${what}). Is it running?`, null, 'network');
  }
  if (!response.ok) throw await errorFrom(response, what);
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    // Aborted while the body was still arriving: a cancellation like any other, not a broken answer.
    if (isAbort(err)) throw err;
    throw new ApiError(`${what} did not return JSON`, response.status, 'bad_response');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      `${what} returned an unexpected shape:\n${z.prettifyError(parsed.error)}`,
      response.status,
      'bad_response',
    );
  }
  return parsed.data;
}

export function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  return requestJson(path, schema, { signal });
}

export function postJson<S extends z.ZodType>(
  path: string,
  body: unknown,
  schema: S,
  signal?: AbortSignal,
): Promise<z.infer<S>> {
  return requestJson(path, schema, { method: 'POST', body, signal });
}

export function putJson<S extends z.ZodType>(
  path: string,
  body: unknown,
  schema: S,
  signal?: AbortSignal,
): Promise<z.infer<S>> {
  return requestJson(path, schema, { method: 'PUT', body, signal });
}

export function deleteJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  return requestJson(path, schema, { method: 'DELETE', signal });
}

/** A message fit for an Alert, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when a request was cancelled because a newer one replaced it; such failures are not shown. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** True when the server said nobody is signed in (no session, or it expired or was revoked). */
export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}
