import { AppError } from '../../../shared/errors.ts';

/** @deprecated throw `AppError` from shared/errors.ts; kept while the routes move to the app's error handler. */
export type AuthErrorCode =
  | 'invalid_credentials'
  | 'username_taken'
  | 'invalid_username'
  | 'weak_password'
  | 'invalid_invite'
  | 'study_paused'
  | 'study_closed'
  | 'role_conflict';

/** @deprecated throw `AppError` from shared/errors.ts. */
export class AuthError extends AppError {
  declare readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string) {
    super(code, message);
    this.name = 'AuthError';
  }
}
