import type { AgreementReport, AgreementSettings } from '../../../shared/schemas/agreement.ts';
import { AppError, type ErrorCode, type ErrorIssue } from '../../../shared/errors.ts';

// What crosses between the live loop and the agreement report pool's thread (report-pool.ts): plain data only.

/** What the thread is asked (server/agreement-report-thread.ts): plain data, copied to the thread. */
export interface ReportTask {
  databaseFile: string;
  studyId: string;
  settings: AgreementSettings;
}

/** An AppError as data: a class does not survive the copy between threads, so its fields cross and it is rebuilt. */
export interface AppErrorData {
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
  details?: Record<string, unknown>;
}

/** What the thread answers. Anything other than an AppError is thrown there and reaches the route as a plain Error. */
export type ReportOutcome = { report: AgreementReport | null } | { refusal: AppErrorData };

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
