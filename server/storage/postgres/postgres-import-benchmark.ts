import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import type { ImportOutcome } from '../../../shared/schemas/study.ts';
import type { ImportBenchmarkInput, ImportRecordInput } from '../storage.ts';
import { isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase } from './pg-database.ts';
import { floatPathsColumn } from '../rows/record-float-paths.ts';
import { emptyOutcome, FILE_COLUMNS, fileValues, IMPORT_BUSY, questionPreview, sha256 } from '../rows/import-rows.ts';
import { MAX_PARAMS, valuesPlaceholders } from './pg-values.ts';

/** Records per statement: a few round trips per thousand records instead of several per record (14 parameters each). */
const CHUNK = 500;

/**
 * Storage.importBenchmark on PostgreSQL, with SQLite's semantics (sqlite/import-benchmark-queries.ts) but in one
 * transaction: PostgreSQL's writers do not share one write lock, so a long import holds only the rows it writes and
 * the live loop's writes go on meanwhile; readers never see its records before COMMIT, and a conflict or any failure
 * rolls everything back, the study it created included. The file row is written 'done' at once, so nothing is ever
 * left 'importing' (removeUnfinishedImports still handles such rows, e.g. from a future chunked import).
 */
export async function importBenchmark(db: PgDatabase, input: ImportBenchmarkInput): Promise<ImportOutcome> {
  return db.transaction(async (client) => {
    const outcome = emptyOutcome(input.sha256);
    const fileId = await begin(client, input, outcome);
    const chunks: ImportRecordInput[][] = [];
    for (let i = 0; i < input.records.length; i += CHUNK) chunks.push(input.records.slice(i, i + CHUNK));
    if (fileId === null) {
      // The same bytes were imported before; records stored before their float positions were kept get them.
      for (const chunk of chunks) await fillFloatPaths(client, outcome.studyId, chunk);
      return outcome;
    }
    const written = new Map<string, string>();
    for (const chunk of chunks) await writeChunk(client, outcome, fileId, chunk, written);
    return outcome;
  });
}

/** The study (created if needed) and the file row; null when these bytes are already imported into the study. */
async function begin(
  client: pg.PoolClient,
  input: ImportBenchmarkInput,
  outcome: ImportOutcome,
): Promise<number | null> {
  const now = new Date().toISOString();
  const [study] = (await client.query<{ id: string }>('SELECT id FROM studies WHERE name = $1', [input.studyName]))
    .rows;
  let studyId = study?.id;
  if (studyId === undefined) {
    studyId = randomUUID();
    try {
      await client.query('INSERT INTO studies (id, name, description, created_at) VALUES ($1, $2, $3, $4)', [
        studyId,
        input.studyName,
        '',
        now,
      ]);
    } catch (error) {
      // Another import (or createStudy) made the study meanwhile and has not committed, or just did.
      if (isUniqueViolation(error)) throw new AppError('conflict', `the study is being created: ${IMPORT_BUSY}`);
      throw error;
    }
    outcome.studyCreated = true;
  }
  outcome.studyId = studyId;
  const [file] = (
    await client.query<{ status: string }>('SELECT status FROM benchmark_files WHERE study_id = $1 AND sha256 = $2', [
      studyId,
      input.sha256,
    ])
  ).rows;
  if (file?.status === 'importing')
    throw new AppError('conflict', `this file is already being imported: ${IMPORT_BUSY}`);
  if (file !== undefined) {
    outcome.alreadyImported = true;
    outcome.recordsUnchanged = input.records.length;
    return null;
  }
  try {
    const [row] = (
      await client.query<{ id: number }>(
        `INSERT INTO benchmark_files (${FILE_COLUMNS}, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'done')
        RETURNING id`,
        fileValues(studyId, input, now, outcome.studyCreated),
      )
    ).rows;
    return row?.id ?? null;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `this file is already being imported: ${IMPORT_BUSY}`);
    throw error;
  }
}

async function fillFloatPaths(client: pg.PoolClient, studyId: string, chunk: ImportRecordInput[]): Promise<void> {
  await client.query(
    `UPDATE records r SET float_paths_json = f.paths
     FROM unnest($2::text[], $3::text[]) AS f(problem_id, paths)
     WHERE r.study_id = $1 AND r.problem_id = f.problem_id AND r.float_paths_json IS NULL`,
    [studyId, chunk.map((r) => r.record.problem_id), chunk.map((r) => floatPathsColumn(r.integralFloats))],
  );
}

interface NewRecord {
  input: ImportRecordInput;
  json: string;
  sha: string;
  personaJson: string;
  personaSha: string;
}

/**
 * One chunk: records already in the study are compared (a different content is a `conflict` for the whole file),
 * the others are written with their personas and criteria in a few set-based statements. `written` holds the records
 * this file wrote so far (problem_id → sha256), so a repeated line in the file is compared like a stored one.
 */
async function writeChunk(
  client: pg.PoolClient,
  outcome: ImportOutcome,
  fileId: number,
  chunk: ImportRecordInput[],
  written: Map<string, string>,
): Promise<void> {
  const studyId = outcome.studyId;
  const existing = new Map(
    (
      await client.query<{ problem_id: string; sha256: string; no_floats: boolean; status: string }>(
        `SELECT r.problem_id, r.sha256, r.float_paths_json IS NULL AS no_floats, f.status
         FROM records r JOIN benchmark_files f ON f.id = r.file_id
         WHERE r.study_id = $1 AND r.problem_id = ANY($2::text[])`,
        [studyId, chunk.map((r) => r.record.problem_id)],
      )
    ).rows.map((row) => [row.problem_id, row]),
  );
  const fresh: NewRecord[] = [];
  const fills: ImportRecordInput[] = [];
  for (const item of chunk) {
    const { line, record } = item;
    const json = JSON.stringify(record);
    const sha = sha256(json);
    const found = existing.get(record.problem_id);
    const stored = found?.sha256 ?? written.get(record.problem_id);
    if (stored !== undefined) {
      if (stored !== sha)
        throw new AppError(
          'conflict',
          `line ${line}: problem_id "${record.problem_id}" is already in this study with different content; nothing was imported`,
        );
      // Counting it as stored would be wrong if that other import fails and takes the record with it.
      if (found !== undefined && found.status !== 'done')
        throw new AppError('conflict', `line ${line}: problem_id "${record.problem_id}" is in ${IMPORT_BUSY}`);
      outcome.recordsUnchanged += 1;
      if (found?.no_floats === true) fills.push(item);
      continue;
    }
    written.set(record.problem_id, sha);
    const personaJson = JSON.stringify(record.persona);
    fresh.push({ input: item, json, sha, personaJson, personaSha: sha256(personaJson) });
  }
  if (fills.length > 0) await fillFloatPaths(client, studyId, fills);
  if (fresh.length === 0) return;
  const now = new Date().toISOString();
  // One row per persona version: a chunk repeats a persona in many records, and a statement may insert a row once.
  const personas = new Map(fresh.map((r) => [`${r.input.record.persona.id}\n${r.personaSha}`, r]));
  const added = await client.query(
    `INSERT INTO personas (id, sha256, json, created_at) VALUES ${valuesPlaceholders(personas.size, 4)}
     ON CONFLICT DO NOTHING`,
    [...personas.values()].flatMap((r) => [r.input.record.persona.id, r.personaSha, r.personaJson, now]),
  );
  outcome.personasAdded += added.rowCount ?? 0;
  try {
    await client.query(
      `INSERT INTO records (study_id, problem_id, file_id, line, task, persona_id, persona_sha256, persona_name,
         question_preview, preference_count, criterion_count, sha256, json, float_paths_json)
       VALUES ${valuesPlaceholders(fresh.length, 14)}`,
      fresh.flatMap((r) => [
        studyId,
        r.input.record.problem_id,
        fileId,
        r.input.line,
        r.input.task,
        r.input.record.persona.id,
        r.personaSha,
        r.input.record.persona.name,
        questionPreview(r.input.record),
        Object.keys(r.input.record.persona_preferences).length,
        r.input.record.evaluation_rubric.evaluation_criteria.length,
        r.sha,
        r.json,
        floatPathsColumn(r.input.integralFloats),
      ]),
    );
  } catch (error) {
    // Another import into this study wrote the same problem_id and has not committed (or just did).
    if (isUniqueViolation(error)) throw new AppError('conflict', `a record of this file is in ${IMPORT_BUSY}`);
    throw error;
  }
  outcome.recordsAdded += fresh.length;
  const criteria = fresh.flatMap((r) =>
    r.input.record.evaluation_rubric.evaluation_criteria.map((c, position) => ({
      problemId: r.input.record.problem_id,
      position,
      c,
    })),
  );
  if (criteria.length === 0) return;
  const perStatement = Math.floor(MAX_PARAMS / 7);
  for (let i = 0; i < criteria.length; i += perStatement) {
    const part = criteria.slice(i, i + perStatement);
    await client.query(
      `INSERT INTO rubric_criteria (study_id, problem_id, position, preference, weight, description, levels_json)
       VALUES ${valuesPlaceholders(part.length, 7)}`,
      part.flatMap((x) => [
        studyId,
        x.problemId,
        x.position,
        x.c.preference,
        x.c.weight ?? null,
        x.c.description,
        JSON.stringify(x.c.levels),
      ]),
    );
  }
  outcome.criteriaAdded += criteria.length;
}
