import { AppError } from '../../shared/errors.ts';

/** @deprecated throw `AppError` from shared/errors.ts (`invalid` is `invalid_payload` there). */
export type StorageErrorCode = 'conflict' | 'not_found' | 'invalid';

/** @deprecated throw `AppError` from shared/errors.ts. */
export class StorageError extends AppError {
  constructor(code: StorageErrorCode, message: string) {
    super(code === 'invalid' ? 'invalid_payload' : code, message);
    this.name = 'StorageError';
  }
}

/** A migration that could not be applied: start-up must stop and say which one. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`database migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'MigrationError';
  }
}
