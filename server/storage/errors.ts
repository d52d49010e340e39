import { describeError } from '../../shared/errors.ts';

/** A migration that could not be applied: start-up must stop and say which one. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`database migration ${migration} failed: ${describeError(cause)}`, {
      cause,
    });
    this.name = 'MigrationError';
  }
}
