import { randomUUID } from 'node:crypto';
import { deepFreeze } from '../../../shared/deep-freeze.ts';
import { AppError } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { LibraryPersona, Persona } from '../../../shared/schemas/persona.ts';
import type { ImportOutcome, RecordSummary, Study } from '../../../shared/schemas/study.ts';
import type { EpisodeSummary, RunInput } from '../episode-storage.ts';
import type { ImportBenchmarkInput, Page, Storage, StudyCounts } from '../storage.ts';
import { isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase } from './pg-database.ts';
import * as episodes from './postgres-episodes.ts';
import { importBenchmark } from './postgres-import-benchmark.ts';
import { sha256 } from '../rows/import-rows.ts';
import { removeUnfinishedImports } from './postgres-import-discard.ts';
import { withStoredFloats } from '../rows/record-float-paths.ts';
import {
  STUDY_COUNTS_SELECT,
  toRecordSummary,
  toStudy,
  toStudyCounts,
  type RecordSummaryRow,
  type StudyCountsRow,
  type StudyRow,
} from '../rows/study-rows.ts';

/** The parts of Storage that are objects of their own (one file each: postgres-<part>-storage.ts). */
export type StoragePart =
  'live' | 'people' | 'work' | 'research' | 'serverLease' | 'nodes' | 'jobs' | 'deletions' | 'consent' | 'access';

/** Storage's own methods: studies, imports, records, personas, batch runs and their episodes. */
export type CoreStorage = Omit<Storage, StoragePart>;

/**
 * Storage's core methods on PostgreSQL, mirroring SqliteStorage's method by method (same SQL where the engines agree).
 * Text is ordered `COLLATE "C"` (byte order, as SQLite compares) whatever the database's default collation.
 * `close()` ends the pool, which the parts share: the composed storage calls it once.
 */
export class PostgresCoreStorage implements CoreStorage {
  constructor(protected readonly db: PgDatabase) {}

  async createStudy(input: { name: string; description?: string }): Promise<Study> {
    const row: StudyRow = {
      id: randomUUID(),
      name: input.name,
      description: input.description ?? '',
      created_at: new Date().toISOString(),
    };
    try {
      await this.db.rows('INSERT INTO studies (id, name, description, created_at) VALUES ($1, $2, $3, $4)', [
        row.id,
        row.name,
        row.description,
        row.created_at,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', `a study named "${input.name}" already exists`);
      throw error;
    }
    return toStudy(row);
  }

  async getStudy(id: string): Promise<Study | null> {
    const [row] = await this.db.rows<StudyRow>('SELECT * FROM studies WHERE id = $1', [id]);
    return row ? toStudy(row) : null;
  }

  async findStudyByName(name: string): Promise<Study | null> {
    const [row] = await this.db.rows<StudyRow>('SELECT * FROM studies WHERE name = $1', [name]);
    return row ? toStudy(row) : null;
  }

  async listStudies(): Promise<StudyCounts[]> {
    const rows = await this.db.rows<StudyCountsRow>(
      `${STUDY_COUNTS_SELECT} ORDER BY s.created_at COLLATE "C", s.name COLLATE "C"`,
    );
    return rows.map(toStudyCounts);
  }

  async importBenchmark(input: ImportBenchmarkInput): Promise<ImportOutcome> {
    return importBenchmark(this.db, input);
  }

  async removeUnfinishedImports(): Promise<number> {
    return removeUnfinishedImports(this.db);
  }

  async listRecords(studyId: string, page: { offset: number; limit: number }): Promise<Page<RecordSummary>> {
    // One snapshot for the total and the page, so an import committing between them cannot make them disagree.
    return this.db.transaction(async (client) => {
      const [count] = (
        await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM visible_records WHERE study_id = $1', [studyId])
      ).rows;
      const rows = (
        await client.query<RecordSummaryRow>(
          `SELECT problem_id, persona_id, persona_name, task, question_preview, preference_count, criterion_count
           FROM visible_records WHERE study_id = $1 ORDER BY file_id, line LIMIT $2 OFFSET $3`,
          [studyId, page.limit, page.offset],
        )
      ).rows;
      return {
        total: count?.n ?? 0,
        items: rows.map(toRecordSummary),
      };
    }, 'serializable');
  }

  async getRecord(studyId: string, problemId: string): Promise<BenchmarkRecord | null> {
    const [row] = await this.db.rows<{ json: string; float_paths_json: string | null }>(
      'SELECT json, float_paths_json FROM visible_records WHERE study_id = $1 AND problem_id = $2',
      [studyId, problemId],
    );
    // Frozen as SQLite's cached records are, so that a caller that would change one fails on both engines alike.
    return row === undefined
      ? null
      : deepFreeze(withStoredFloats(JSON.parse(row.json) as BenchmarkRecord, row.float_paths_json));
  }

  async syncPersonaLibrary(personas: LibraryPersona[]): Promise<{ added: number; updated: number; unchanged: number }> {
    return this.db.transaction(async (client) => {
      const result = { added: 0, updated: 0, unchanged: 0 };
      const now = new Date().toISOString();
      // Row locks on the library entries: two syncs at once count each change once and never lose an update.
      const current = new Map(
        (
          await client.query<{ persona_id: string; sha256: string }>(
            'SELECT persona_id, sha256 FROM persona_library WHERE persona_id = ANY($1::text[]) FOR UPDATE',
            [personas.map((p) => p.id)],
          )
        ).rows.map((r) => [r.persona_id, r.sha256]),
      );
      for (const persona of personas) {
        const json = JSON.stringify(persona);
        const sha = sha256(json);
        const was = current.get(persona.id);
        if (was === sha) {
          result.unchanged += 1;
          continue;
        }
        await client.query(
          'INSERT INTO personas (id, sha256, json, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [persona.id, sha, json, now],
        );
        await client.query(
          `INSERT INTO persona_library (persona_id, sha256) VALUES ($1, $2)
           ON CONFLICT (persona_id) DO UPDATE SET sha256 = excluded.sha256`,
          [persona.id, sha],
        );
        current.set(persona.id, sha);
        if (was === undefined) result.added += 1;
        else result.updated += 1;
      }
      return result;
    });
  }

  async listLibraryPersonas(): Promise<LibraryPersona[]> {
    const rows = await this.db.rows<{ json: string }>(
      `SELECT p.json FROM persona_library l JOIN personas p ON p.id = l.persona_id AND p.sha256 = l.sha256
       ORDER BY l.persona_id COLLATE "C"`,
    );
    return rows.map((r) => JSON.parse(r.json) as LibraryPersona);
  }

  async getPersona(id: string): Promise<Persona | null> {
    const [row] = await this.db.rows<{ json: string }>(
      `SELECT json FROM (
         SELECT p.json, 0 AS rank, '' AS created_at, 0::bigint AS rowid
           FROM persona_library l JOIN personas p ON p.id = l.persona_id AND p.sha256 = l.sha256
           WHERE l.persona_id = $1
         UNION ALL
         SELECT json, 1, created_at, rowid FROM personas WHERE id = $1
       ) v ORDER BY rank, created_at COLLATE "C" DESC, rowid DESC LIMIT 1`,
      [id],
    );
    return row === undefined ? null : (JSON.parse(row.json) as Persona);
  }

  async createRun(input: RunInput): Promise<{ id: string }> {
    return episodes.createRun(this.db, input);
  }

  async saveEpisode(summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
    await episodes.saveEpisode(this.db, summary, events);
  }

  async getEpisode(id: string): Promise<{ summary: EpisodeSummary; events: EpisodeEvent[] } | null> {
    return episodes.getEpisode(this.db, id);
  }

  async listEpisodes(filter: { runId?: string; limit?: number; offset?: number }): Promise<EpisodeSummary[]> {
    return episodes.listEpisodes(this.db, filter);
  }

  async countEpisodes(filter: { runId?: string }): Promise<number> {
    return episodes.countEpisodes(this.db, filter);
  }

  async abortUnrecordedEpisodes(runId: string, recorded: readonly string[], reason: string): Promise<number> {
    return episodes.abortUnrecordedEpisodes(this.db, runId, recorded, reason);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
