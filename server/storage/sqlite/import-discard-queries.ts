import type Database from 'better-sqlite3';
import { pauseAfter, writeChunks } from './write-chunks.ts';

export interface PersonaKey {
  id: string;
  sha256: string;
}

/**
 * Deletes what an unfinished import wrote (import-benchmark-queries.ts): its rubric criteria and records in short
 * transactions (they are hidden while the file is 'importing', so removing them a chunk at a time shows nothing),
 * then the file row, the personas it added that nothing refers to, and the study if the import created it and nothing
 * else was attached to it meanwhile (a foreign key refuses the delete: the study then stays, empty).
 */
export async function discardImport(db: Database.Database, fileId: number, personas: PersonaKey[] = []): Promise<void> {
  const ids = db.prepare('SELECT rowid FROM records WHERE file_id = ? LIMIT 250').pluck();
  const criteria = db.prepare(
    'DELETE FROM rubric_criteria WHERE (study_id, problem_id) = (SELECT study_id, problem_id FROM records WHERE rowid = ?)',
  );
  const record = db.prepare('DELETE FROM records WHERE rowid = ?');
  for (;;) {
    const batch = ids.all(fileId) as number[];
    if (batch.length === 0) break;
    await writeChunks(db, batch, (rowid) => {
      criteria.run(rowid);
      record.run(rowid);
    });
  }
  await pauseAfter(0);
  const file = db.prepare('SELECT study_id, created_study FROM benchmark_files WHERE id = ?');
  const unreferenced = db.prepare(
    `DELETE FROM personas WHERE id = @id AND sha256 = @sha256
       AND NOT EXISTS (SELECT 1 FROM records WHERE persona_id = @id AND persona_sha256 = @sha256)
       AND NOT EXISTS (SELECT 1 FROM persona_library WHERE persona_id = @id AND sha256 = @sha256)`,
  );
  db.transaction(() => {
    const row = file.get(fileId) as { study_id: string; created_study: number } | undefined;
    // Records written between the last chunk and now (another process still importing this file) go too.
    db.prepare(
      `DELETE FROM rubric_criteria WHERE (study_id, problem_id) IN (SELECT study_id, problem_id FROM records WHERE file_id = ?)`,
    ).run(fileId);
    db.prepare('DELETE FROM records WHERE file_id = ?').run(fileId);
    db.prepare('DELETE FROM benchmark_files WHERE id = ?').run(fileId);
    for (const p of personas) unreferenced.run(p);
    if (row?.created_study === 1) {
      try {
        db.transaction(() => db.prepare('DELETE FROM studies WHERE id = ?').run(row.study_id))();
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
      }
    }
  }).immediate();
}

/**
 * Start-up clean-up: files a killed process left 'importing', deleted with everything they wrote. Personas such an
 * import added and nothing refers to also go (no other writer leaves personas unreferenced: the library keeps its own
 * in persona_library). Returns how many files were removed.
 */
export async function removeUnfinishedImports(db: Database.Database): Promise<number> {
  const files = db
    .prepare("SELECT id, imported_at FROM benchmark_files WHERE status = 'importing' ORDER BY imported_at")
    .all() as { id: number; imported_at: string }[];
  for (const { id } of files) await discardImport(db, id);
  // Only personas stored since the first such import began: older unreferenced ones (a library persona's earlier
  // version) were not written by it.
  const since = files[0]?.imported_at;
  if (since !== undefined)
    db.prepare(
      `DELETE FROM personas WHERE created_at >= ?
         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.persona_id = personas.id AND r.persona_sha256 = personas.sha256)
         AND NOT EXISTS (SELECT 1 FROM persona_library l WHERE l.persona_id = personas.id AND l.sha256 = personas.sha256)`,
    ).run(since);
  return files.length;
}
