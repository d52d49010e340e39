import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import { AppError, ERRORS, type ErrorBody, type ErrorCode, type ErrorIssue } from '../../shared/errors.ts';

/**
 * The one mapping from a failed request to an HTTP answer (codes and statuses: shared/errors.ts). Routes do not catch:
 * an AppError says what the client may hear; a schema refusal names each field; Fastify's own client errors (bad
 * JSON, body too large, unsupported media type) and the rate limiter's 429 get their closed codes; anything else is a
 * bug, logged with its stack and the request it broke, and answered `internal` without a word of exception text.
 */

/** Fastify's and its plugins' client errors by status; a status not listed keeps `invalid_payload`. */
const FRAMEWORK_CODES: Partial<Record<number, ErrorCode>> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

interface FrameworkError {
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

/** `/a/0/b` (the type provider's instancePath) → `$.a[0].b`, the path format of every other refusal. */
function pathOf(instancePath: string): string {
  const parts = instancePath
    .split('/')
    .slice(1)
    .filter((p) => p !== '')
    .map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
  return jsonPath(parts);
}

function validationIssues(validation: unknown[]): ErrorIssue[] {
  return validation.map((v) => {
    const entry = (v ?? {}) as { instancePath?: unknown; message?: unknown };
    return {
      path: typeof entry.instancePath === 'string' ? pathOf(entry.instancePath) : '$',
      message: typeof entry.message === 'string' ? entry.message : 'is not valid',
    };
  });
}

/** The answer for a refusal that is not an AppError; null for anything that is not a client error. */
export function clientErrorBody(error: FrameworkError): { status: number; body: ErrorBody } | null {
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status < 400 || status >= 500) return null;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : 'invalid request';
  if (Array.isArray(error.validation)) {
    const issues = validationIssues(error.validation);
    const part = typeof error.validationContext === 'string' ? error.validationContext : 'request';
    const listed = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return {
      status: 400,
      body: { error: 'invalid_payload', message: `invalid ${part}: ${listed}`.slice(0, 2000), issues },
    };
  }
  const code = FRAMEWORK_CODES[status] ?? 'invalid_payload';
  return { status: code === 'invalid_payload' ? status : ERRORS[code].status, body: { error: code, message } };
}

/** Who and what a failure happened to, for the log line (never the body or cookies). */
function requestContext(request: FastifyRequest): Record<string, unknown> {
  const id = request.identity;
  return {
    method: request.method,
    url: request.url,
    route: request.routeOptions.url,
    ...(id?.kind === 'researcher' ? { identity: { kind: id.kind, researcherId: id.researcherId } } : {}),
    ...(id?.kind === 'participant'
      ? { identity: { kind: id.kind, participantId: id.participantId, studyId: id.studyId } }
      : {}),
  };
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return reply.code(error.status).send(error.toBody());
  const refusal = typeof error === 'object' && error !== null ? clientErrorBody(error as FrameworkError) : null;
  if (refusal) return reply.code(refusal.status).send(refusal.body);
  request.log.error({ err: error, request: requestContext(request) }, 'request failed');
  return reply.code(500).send({ error: 'internal', message: 'internal error' } satisfies ErrorBody);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
}
