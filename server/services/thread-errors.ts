import { AppError, type ErrorCode, type ErrorIssue } from '../../shared/errors.ts';

/**
 * An AppError as data, for work done on a pool thread (thread-pool.ts): a class does not survive the copy between
 * threads, so its fields cross and the caller's side rebuilds it.
 */
export interface AppErrorData {
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
  details?: Record<string, unknown>;
}

export function appErrorData(error: AppError): AppErrorData {
  return {
    code: error.code,
    message: error.message,
    ...(error.issues ? { issues: error.issues } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

export function rebuildAppError(data: AppErrorData): AppError {
  return new AppError(data.code, data.message, {
    ...(data.issues ? { issues: data.issues } : {}),
    ...(data.details ? { details: data.details } : {}),
  });
}
