export type StorageErrorCode = 'conflict' | 'not_found' | 'invalid';

/** A storage failure the caller can explain to a person; anything else is a bug and is thrown as is. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
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
