/**
 * Failures of sign-in and joining that a person can act on. Closed codes: transport maps each to a status and a
 * fixed message; exception text never reaches a client.
 */
export type AuthErrorCode =
  | 'invalid_credentials'
  | 'username_taken'
  | 'invalid_username'
  | 'weak_password'
  | 'invalid_invite'
  | 'study_paused'
  | 'study_closed'
  | 'role_conflict';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
