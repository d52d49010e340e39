import { z } from 'zod';

/**
 * The one list of error codes the app ever sends to a client, over HTTP or in a socket ack. Each code says what went
 * wrong in words a client can act on, the HTTP status it is sent with, and whether trying the same request again later
 * may succeed (`retryable`). Messages are written for people; exception text never reaches a client.
 */
export const ERRORS = {
  // The request itself
  invalid_payload: { status: 400, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  unsupported_protocol: { status: 400, retryable: false },
  // The request was well formed; the file it carried was read and refused (the report is in `details`).
  invalid_file: { status: 422, retryable: false },
  // Who is calling
  unauthenticated: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  cross_origin: { status: 403, retryable: false },
  invalid_credentials: { status: 401, retryable: false },
  rate_limited: { status: 429, retryable: true },
  // Accounts and joining
  username_taken: { status: 409, retryable: false },
  invalid_username: { status: 400, retryable: false },
  weak_password: { status: 400, retryable: false },
  invalid_invite: { status: 404, retryable: false },
  role_conflict: { status: 409, retryable: false },
  // What the request names
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  study_paused: { status: 403, retryable: true },
  study_closed: { status: 403, retryable: false },
  // Live play and rating
  not_your_turn: { status: 409, retryable: true },
  episode_closed: { status: 409, retryable: false },
  // Another app node runs this episode (several nodes on one database): reconnect, and the load balancer's sticky
  // session or the owner's death (its lease expires, then any node takes the episode over) settles where it runs.
  episode_elsewhere: { status: 409, retryable: true },
  no_work: { status: 404, retryable: true },
  // Another tab of the same participant took the task over (shared/protocol/tabs.ts); this one may ask to take it back.
  taken_over: { status: 409, retryable: false },
  // Research work
  unknown_model: { status: 400, retryable: false },
  model_unavailable: { status: 400, retryable: false },
  no_records: { status: 409, retryable: false },
  run_in_progress: { status: 409, retryable: true },
  not_running: { status: 409, retryable: false },
  upload_failed: { status: 400, retryable: false },
  unavailable: { status: 503, retryable: true },
  // Anything unexpected: logged with its stack on the server, never described to the client.
  internal: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

/** One field the client got wrong: a JSON path into what it sent, and what is wrong there. */
export const ErrorIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof ErrorIssueSchema>;

/**
 * The body of every HTTP error response. `details` carries structured extras a client may use (the declared model
 * names, a validation report), never exception text.
 */
export const ErrorBodySchema = z.object({
  error: ErrorCodeSchema,
  message: z.string(),
  issues: z.array(ErrorIssueSchema).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Whether a string is one of the closed codes (for values that come from outside, e.g. a socket refusal). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/**
 * A refusal a client may see: a closed code, a message written for people, and optionally the fields at fault and
 * structured details. Services throw it; each transport maps it once (HTTP: status + ErrorBody; sockets: the ack).
 * Any other error is a bug: logged with its stack and context, and answered as `internal`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { issues?: ErrorIssue[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = extra.issues;
    this.details = extra.details;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  get retryable(): boolean {
    return ERRORS[this.code].retryable;
  }

  /** The HTTP body for this refusal. */
  toBody(): ErrorBody {
    return {
      error: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/**
 * An error's own message, for text a person reads outside the app's responses: a CLI line, a failure reason stored
 * with an episode or a generation row. Logs take the error object itself (`{ err }`), so its stack is kept.
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
