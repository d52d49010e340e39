import { ERRORS, isErrorCode } from '../../../shared/errors.ts';
import { ApiError } from '../http/request.ts';

/** Tries after the first, for failures that may pass on a second try. */
export const MAX_RETRIES = 2;

/**
 * Whether trying the same request again may succeed: the network, the server's own failures, and the codes
 * shared/errors.ts marks retryable. A refusal (bad input, not found, signed out) would only fail the same way again.
 */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.status === null || err.status >= 500) return true;
  return isErrorCode(err.code) && ERRORS[err.code].retryable;
}
