import { isForeignKeyViolation } from './pg-error-codes.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Start-up clean-up (Storage.removeUnfinishedImports), as SQLite's (sqlite/import-discard-queries.ts): files left
 * 'importing' are deleted with their records and criteria, the personas stored since the first of them began that
 * nothing refers to, and the study an import created if nothing else is attached to it. PostgreSQL's imports commit
 * in one transaction and never leave such rows; a database copied from SQLite mid-import could.
 */
export async function removeUnfinishedImports(db: PgDatabase): Promise<number> {
  const files = await db.rows<{ id: number; imported_at: string; study_id: string; created_study: number }>(
    `SELECT id, imported_at, study_id, created_study FROM benchmark_files WHERE status = 'importing'
     ORDER BY imported_at COLLATE "C"`,
  );
  for (const file of files) {
    await db.transaction(async (client) => {
      await client.query(
        `DELETE FROM rubric_criteria c USING records r
         WHERE r.file_id = $1 AND c.study_id = r.study_id AND c.problem_id = r.problem_id`,
        [file.id],
      );
      await client.query('DELETE FROM records WHERE file_id = $1', [file.id]);
      await client.query('DELETE FROM benchmark_files WHERE id = $1', [file.id]);
    });
    if (file.created_study !== 1) continue;
    try {
      await db.rows('DELETE FROM studies WHERE id = $1', [file.study_id]);
    } catch (error) {
      // Something else was attached to the study meanwhile: it stays, empty.
      if (!isForeignKeyViolation(error)) throw error;
    }
  }
  const since = files[0]?.imported_at;
  if (since !== undefined)
    await db.rows(
      `DELETE FROM personas WHERE created_at COLLATE "C" >= $1
         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.persona_id = personas.id AND r.persona_sha256 = personas.sha256)
         AND NOT EXISTS (SELECT 1 FROM persona_library l WHERE l.persona_id = personas.id AND l.sha256 = personas.sha256)`,
      [since],
    );
  return files.length;
}
