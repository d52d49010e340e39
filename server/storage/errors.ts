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

/**
 * What is wrong with the database file and what a person can do about it, for the errors SQLite and the file system
 * raise when the file is unusable: the disk is full, the file is damaged, it or its folder cannot be written, or the
 * folder cannot be made. Null for any other error (a bug keeps its stack).
 */
export function databaseProblem(file: string, error: unknown): string | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = error instanceof Error ? error.message : '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT')
    return `the disk holding the database ${file} is full: free some space (or set PREFDISCO_DB to a disk with room) and start again`;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return `the database ${file} is damaged or is not a database: restore it from a backup (with its -wal file), or move it away to start with an empty one`;
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `the database ${file} or its folder cannot be written (${code}): give the user running PrefDisco write permission on both, mount the disk read-write, or set PREFDISCO_DB to a writable place`;
  if (code === 'ENOTDIR' || code === 'ENOENT' || message.includes('directory does not exist'))
    return `the folder of the database ${file} does not exist and cannot be created (${code || 'no such folder'}): create it, or set PREFDISCO_DB to a path in an existing folder`;
  if (code.startsWith('SQLITE_CANTOPEN'))
    return `the database ${file} cannot be opened: check that PREFDISCO_DB names a file (not a folder) in a folder the user running PrefDisco may write to`;
  if (code.startsWith('SQLITE_IOERR'))
    return `reading or writing the database ${file} failed (${code}): check the disk (space, errors in the system log), then start again`;
  return null;
}

/** The database file cannot be used: start-up stops with one line saying why and what to do. */
export class DatabaseUnusableError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    cause: unknown,
  ) {
    super(problem, { cause });
    this.name = 'DatabaseUnusableError';
  }
}

/** `error` as a DatabaseUnusableError when it says the database file is unusable (also inside a MigrationError). */
export function asDatabaseError(file: string, error: unknown): unknown {
  if (error instanceof DatabaseUnusableError) return error;
  const cause = error instanceof MigrationError ? error.cause : error;
  const problem = databaseProblem(file, cause);
  return problem === null ? error : new DatabaseUnusableError(file, problem, error);
}
