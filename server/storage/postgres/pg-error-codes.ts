/** PostgreSQL's SQLSTATE of an error thrown by `pg`, or '' for anything else. */
export function pgErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** A UNIQUE or PRIMARY KEY constraint refused the row (SQLite's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  return pgErrorCode(error) === '23505';
}

/** A FOREIGN KEY constraint refused the change (SQLite's SQLITE_CONSTRAINT_FOREIGNKEY). */
export function isForeignKeyViolation(error: unknown): boolean {
  return pgErrorCode(error) === '23503';
}
