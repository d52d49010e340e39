import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import { AppError } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { ImportOutcome } from '../../../shared/schemas/study.ts';
import type { ImportBenchmarkInput } from '../storage.ts';
import { floatPathsColumn } from './record-float-paths.ts';

const PREVIEW_CHARS = 160;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function preview(record: BenchmarkRecord): string {
  const question = normalizeProblem(record).question.replace(/\s+/g, ' ').trim();
  return question.length > PREVIEW_CHARS ? `${question.slice(0, PREVIEW_CHARS - 1)}…` : question;
}

/**
 * Stores a validated benchmark file in one transaction (Storage.importBenchmark): the study if new, the file, its
 * records as parsed, personas (content-addressed) and rubric criteria. The same bytes again change nothing; a
 * problem_id already in the study with other content rejects the whole file.
 */
export function importBenchmark(db: Database.Database, input: ImportBenchmarkInput): ImportOutcome {
  const outcome: ImportOutcome = {
    studyId: '',
    studyCreated: false,
    fileSha256: input.sha256,
    alreadyImported: false,
    recordsAdded: 0,
    recordsUnchanged: 0,
    personasAdded: 0,
    criteriaAdded: 0,
  };
  const findFile = db.prepare('SELECT id FROM benchmark_files WHERE study_id = ? AND sha256 = ?').pluck();
  const insertFile = db.prepare(
    `INSERT INTO benchmark_files (study_id, sha256, source_name, bytes, metadata_json, record_count, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const findRecord = db.prepare('SELECT sha256, file_id FROM records WHERE study_id = ? AND problem_id = ?');
  const insertPersona = db.prepare('INSERT OR IGNORE INTO personas (id, sha256, json, created_at) VALUES (?, ?, ?, ?)');
  const insertRecord = db.prepare(
    `INSERT INTO records (study_id, problem_id, file_id, line, task, persona_id, persona_sha256, persona_name,
       question_preview, preference_count, criterion_count, sha256, json, float_paths_json)
     VALUES (@study_id, @problem_id, @file_id, @line, @task, @persona_id, @persona_sha256, @persona_name,
       @question_preview, @preference_count, @criterion_count, @sha256, @json, @float_paths_json)`,
  );
  // Records imported before migration 013 have no float paths (NULL): the same content imported again supplies them.
  const addFloatPaths = db.prepare(
    `UPDATE records SET float_paths_json = ? WHERE study_id = ? AND problem_id = ? AND float_paths_json IS NULL`,
  );
  const insertCriterion = db.prepare(
    `INSERT INTO rubric_criteria (study_id, problem_id, position, preference, weight, description, levels_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  db.transaction(() => {
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
    if (findFile.get(studyId, input.sha256) !== undefined) {
      outcome.alreadyImported = true;
      outcome.recordsUnchanged = input.records.length;
      // The same bytes were imported before, so every record of the file is in the study with this content.
      for (const { record, integralFloats } of input.records)
        addFloatPaths.run(floatPathsColumn(integralFloats), studyId, record.problem_id);
      return;
    }
    const fileId = Number(
      insertFile.run(
        studyId,
        input.sha256,
        input.sourceName,
        input.bytes,
        input.metadata ? JSON.stringify(input.metadata) : null,
        input.records.length,
        now,
      ).lastInsertRowid,
    );
    for (const { line, task, record, integralFloats } of input.records) {
      const json = JSON.stringify(record);
      const recordSha = sha256(json);
      const existing = findRecord.get(studyId, record.problem_id) as { sha256: string; file_id: number } | undefined;
      if (existing) {
        if (existing.sha256 !== recordSha) {
          throw new AppError(
            'conflict',
            `line ${line}: problem_id "${record.problem_id}" is already in this study with different content; nothing was imported`,
          );
        }
        outcome.recordsUnchanged += 1;
        addFloatPaths.run(floatPathsColumn(integralFloats), studyId, record.problem_id);
        continue;
      }
      const personaJson = JSON.stringify(record.persona);
      const personaSha = sha256(personaJson);
      outcome.personasAdded += insertPersona.run(record.persona.id, personaSha, personaJson, now).changes;
      insertRecord.run({
        study_id: studyId,
        problem_id: record.problem_id,
        file_id: fileId,
        line,
        task,
        persona_id: record.persona.id,
        persona_sha256: personaSha,
        persona_name: record.persona.name,
        question_preview: preview(record),
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
    }
  })();
  return outcome;
}
