import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.ts';
import type { ImportOutcome } from '../../../shared/schemas/study.ts';
import type { ImportBenchmarkInput, ImportRecordInput } from '../storage.ts';
import { discardImport, type PersonaKey } from './import-discard-queries.ts';
import { floatPathsColumn } from '../rows/record-float-paths.ts';
import { emptyOutcome, FILE_COLUMNS, fileValues, IMPORT_BUSY, questionPreview, sha256 } from '../rows/import-rows.ts';
import { pauseAfter, writeChunks } from './write-chunks.ts';

/**
 * Stores a validated benchmark file (Storage.importBenchmark): the study if new, the file, its records as parsed,
 * personas (content-addressed) and rubric criteria. The same bytes again change nothing; a problem_id already in the
 * study with other content rejects the whole file.
 *
 * Written in short transactions (write-chunks.ts), so a 100 MB file never holds the database's write lock for more
 * than a few tens of milliseconds at a time: the live loop's writes wait for one chunk, not for the file. The file row
 * is 'importing' meanwhile and its records are hidden (every reader reads visible_records, migration 018); the last,
 * one-row transaction makes them visible at once. A conflict or any failure deletes what the file wrote (and the
 * study it created), so nothing partial stays; what a crash leaves is removed at the next start-up
 * (removeUnfinishedImports).
 */
export async function importBenchmark(db: Database.Database, input: ImportBenchmarkInput): Promise<ImportOutcome> {
  const outcome = emptyOutcome(input.sha256);
  const begun = begin(db, input, outcome);
  if (begun.kind === 'already') {
    // The same bytes were imported before, so every record of the file is in the study with this content; records
    // imported before their float positions were kept get them (filling a NULL column: safe in any number of steps).
    const fill = db.prepare(
      'UPDATE records SET float_paths_json = ? WHERE study_id = ? AND problem_id = ? AND float_paths_json IS NULL',
    );
    await writeChunks(
      db,
      input.records,
      (r) => {
        fill.run(floatPathsColumn(r.integralFloats), outcome.studyId, r.record.problem_id);
      },
      input.yieldToOtherWriters ?? true,
    );
    return outcome;
  }
  const fileId = begun.fileId;
  const added: PersonaKey[] = [];
  try {
    const fills = await writeRecords(db, input, outcome, fileId, added);
    if (input.yieldToOtherWriters ?? true) await pauseAfter(0);
    finish(db, outcome, fileId, fills);
    return outcome;
  } catch (error) {
    await discardImport(db, fileId, added);
    throw error;
  }
}

/** The study (created if needed) and the file row, 'importing': one short transaction. */
function begin(
  db: Database.Database,
  input: ImportBenchmarkInput,
  outcome: ImportOutcome,
): { kind: 'already' } | { kind: 'new'; fileId: number } {
  return db
    .transaction((): { kind: 'already' } | { kind: 'new'; fileId: number } => {
      const now = new Date().toISOString();
      let studyId = db.prepare('SELECT id FROM studies WHERE name = ?').pluck().get(input.studyName) as
        string | undefined;
      if (studyId === undefined) {
        studyId = randomUUID();
        db.prepare('INSERT INTO studies (id, name, description, created_at) VALUES (?, ?, ?, ?)').run(
          studyId,
          input.studyName,
          '',
          now,
        );
        outcome.studyCreated = true;
      }
      outcome.studyId = studyId;
      const status = db
        .prepare('SELECT status FROM benchmark_files WHERE study_id = ? AND sha256 = ?')
        .pluck()
        .get(studyId, input.sha256) as string | undefined;
      if (status === 'importing') throw new AppError('conflict', `this file is already being imported: ${IMPORT_BUSY}`);
      if (status !== undefined) {
        outcome.alreadyImported = true;
        outcome.recordsUnchanged = input.records.length;
        return { kind: 'already' };
      }
      const fileId = db
        .prepare(`INSERT INTO benchmark_files (${FILE_COLUMNS}, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'importing')`)
        .run(...fileValues(studyId, input, now, outcome.studyCreated)).lastInsertRowid;
      return { kind: 'new', fileId: Number(fileId) };
    })
    .immediate();
}

/** A record already stored (by a finished file) whose float positions are to be filled when this file is done. */
interface FloatFill {
  problemId: string;
  floatPaths: string;
}

/** The file's records, criteria and new personas, chunk by chunk; the records already stored are only compared. */
async function writeRecords(
  db: Database.Database,
  input: ImportBenchmarkInput,
  outcome: ImportOutcome,
  fileId: number,
  added: PersonaKey[],
): Promise<FloatFill[]> {
  const studyId = outcome.studyId;
  const now = new Date().toISOString();
  const findRecord = db.prepare(
    `SELECT r.sha256, r.file_id, r.float_paths_json IS NULL AS no_floats, f.status
     FROM records r JOIN benchmark_files f ON f.id = r.file_id WHERE r.study_id = ? AND r.problem_id = ?`,
  );
  const insertPersona = db.prepare('INSERT OR IGNORE INTO personas (id, sha256, json, created_at) VALUES (?, ?, ?, ?)');
  const insertRecord = db.prepare(
    `INSERT INTO records (study_id, problem_id, file_id, line, task, persona_id, persona_sha256, persona_name,
       question_preview, preference_count, criterion_count, sha256, json, float_paths_json)
     VALUES (@study_id, @problem_id, @file_id, @line, @task, @persona_id, @persona_sha256, @persona_name,
       @question_preview, @preference_count, @criterion_count, @sha256, @json, @float_paths_json)`,
  );
  const insertCriterion = db.prepare(
    `INSERT INTO rubric_criteria (study_id, problem_id, position, preference, weight, description, levels_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const fills: FloatFill[] = [];
  const writeOne = ({ line, task, record, integralFloats }: ImportRecordInput): number => {
    const json = JSON.stringify(record);
    const recordSha = sha256(json);
    const existing = findRecord.get(studyId, record.problem_id) as
      { sha256: string; file_id: number; no_floats: number; status: string } | undefined;
    if (existing) {
      if (existing.sha256 !== recordSha) {
        throw new AppError(
          'conflict',
          `line ${line}: problem_id "${record.problem_id}" is already in this study with different content; nothing was imported`,
        );
      }
      // Counting it as stored would be wrong if that other import fails and takes the record with it.
      if (existing.file_id !== fileId && existing.status !== 'done')
        throw new AppError('conflict', `line ${line}: problem_id "${record.problem_id}" is in ${IMPORT_BUSY}`);
      outcome.recordsUnchanged += 1;
      if (existing.no_floats === 1)
        fills.push({ problemId: record.problem_id, floatPaths: floatPathsColumn(integralFloats) });
      return 0;
    }
    const personaJson = JSON.stringify(record.persona);
    const personaSha = sha256(personaJson);
    if (insertPersona.run(record.persona.id, personaSha, personaJson, now).changes > 0) {
      outcome.personasAdded += 1;
      added.push({ id: record.persona.id, sha256: personaSha });
    }
    insertRecord.run({
      study_id: studyId,
      problem_id: record.problem_id,
      file_id: fileId,
      line,
      task,
      persona_id: record.persona.id,
      persona_sha256: personaSha,
      persona_name: record.persona.name,
      question_preview: questionPreview(record),
      preference_count: Object.keys(record.persona_preferences).length,
      criterion_count: record.evaluation_rubric.evaluation_criteria.length,
      sha256: recordSha,
      json,
      float_paths_json: floatPathsColumn(integralFloats),
    });
    record.evaluation_rubric.evaluation_criteria.forEach((c, position) => {
      insertCriterion.run(
        studyId,
        record.problem_id,
        position,
        c.preference,
        c.weight ?? null,
        c.description,
        JSON.stringify(c.levels),
      );
      outcome.criteriaAdded += 1;
    });
    outcome.recordsAdded += 1;
    return json.length;
  };
  await writeChunks(db, input.records, writeOne, input.yieldToOtherWriters ?? true);
  return fills;
}

/**
 * The one short transaction that makes the file's records visible: a one-row UPDATE of the file (its records point at
 * it), plus the float positions of records stored before (a NULL column, only in databases older than migration 013).
 * A file row that is gone or no longer 'importing' was removed by a server's start-up clean-up: the import failed.
 */
function finish(db: Database.Database, outcome: ImportOutcome, fileId: number, fills: FloatFill[]): void {
  const fill = db.prepare(
    'UPDATE records SET float_paths_json = ? WHERE study_id = ? AND problem_id = ? AND float_paths_json IS NULL',
  );
  db.transaction(() => {
    const done = db
      .prepare("UPDATE benchmark_files SET status = 'done' WHERE id = ? AND status = 'importing'")
      .run(fileId).changes;
    if (done !== 1)
      throw new AppError('unavailable', 'the import was cancelled by a server start; import the file again');
    for (const f of fills) fill.run(f.floatPaths, outcome.studyId, f.problemId);
  }).immediate();
}
