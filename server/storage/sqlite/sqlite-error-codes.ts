/** A constraint of this kind (`UNIQUE`, `FOREIGNKEY`, …) refused the change: better-sqlite3's SQLITE_CONSTRAINT_<kind>. */
export function isConstraint(error: unknown, kind: string): boolean {
  return (error as { code?: string }).code === `SQLITE_CONSTRAINT_${kind}`;
}
