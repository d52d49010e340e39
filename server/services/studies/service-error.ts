import { AppError, type ErrorCode, type ErrorIssue } from '../../../shared/errors.ts';

/** @deprecated throw `AppError` from shared/errors.ts; kept while the routes move to the app's error handler. */
export class ServiceError extends AppError {
  constructor(ackCode: ErrorCode, message: string, issues?: ErrorIssue[]) {
    super(ackCode, message, { issues });
    this.name = 'ServiceError';
  }

  get ackCode(): ErrorCode {
    return this.code;
  }
}
