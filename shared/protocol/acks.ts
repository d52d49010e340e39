import type { ErrorCode, ErrorIssue } from '../errors.ts';

/**
 * Every socket request is answered with an ack of this shape. Error codes are the app's one closed list
 * (shared/errors.ts); raw exception text never reaches a client.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorCode; issues?: ErrorIssue[] };
