import { AppError } from '../../../shared/errors.ts';

/** @deprecated throw `AppError` from shared/errors.ts; kept while the routes move to the app's error handler. */
export type ResearchErrorCode =
  | 'not_found'
  | 'unknown_model'
  | 'model_unavailable'
  | 'no_records'
  | 'run_in_progress'
  | 'not_running'
  | 'too_large'
  | 'upload_failed'
  | 'conflict'
  | 'unavailable';

/** @deprecated throw `AppError` from shared/errors.ts (`too_large` is `payload_too_large` there). */
export class ResearchError extends AppError {
  constructor(code: ResearchErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code === 'too_large' ? 'payload_too_large' : code, message, {
      details: Object.keys(details).length > 0 ? details : undefined,
    });
    this.name = 'ResearchError';
  }
}
