import { AppError } from '../../../shared/errors.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { RunInfo, RunProgress, RunStatus } from '../../../shared/schemas/research.ts';
import type { ProlificIds } from '../people-storage.ts';
import type {
  EpisodeCursor,
  NewStudyRun,
  ParticipantCursor,
  ResearchStorage,
  StoredStudyRun,
  StudyEpisode,
  StudyParticipant,
  StudyRecord,
} from '../research-storage.ts';
import {
  eventsInEpisodeOrder,
  newStudyRunInfo,
  toRun,
  toStoredStudyRun,
  toStudyEpisode,
  toStudyRecord,
  type RunRow,
  type StudyEpisodeRow,
  type StudyRecordRow,
} from '../rows/research-rows.ts';
import type { PgDatabase } from './pg-database.ts';
import { prolificIdsOf, studyParticipantsPage } from './postgres-participant-export.ts';

/** ResearchStorage on PostgreSQL (sqlite/sqlite-research-storage.ts); text ordered COLLATE "C", as SQLite orders. */
export class PostgresResearchStorage implements ResearchStorage {
  constructor(private readonly db: PgDatabase) {}

  async createStudyRun(input: NewStudyRun): Promise<RunInfo> {
    const now = new Date().toISOString();
    await this.db.rows(
      `INSERT INTO runs (id, created_at, benchmark_sha256, benchmark_path, out_path, options_json, study_id, status,
         updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $2)`,
      [
        input.id,
        now,
        input.benchmarkSha256,
        `study:${input.studyId}`,
        input.outPath,
        JSON.stringify(input.options),
        input.studyId,
      ],
    );
    return newStudyRunInfo(input, now);
  }

  async updateRun(
    runId: string,
    fields: { status?: RunStatus; progress: RunProgress; benchmarkSha256?: string },
  ): Promise<void> {
    const result = await this.db.pool.query(
      `UPDATE runs SET status = COALESCE($1, status), progress_json = $2,
         benchmark_sha256 = COALESCE($3, benchmark_sha256), updated_at = $4
       WHERE id = $5 AND study_id IS NOT NULL`,
      [
        fields.status ?? null,
        JSON.stringify(fields.progress),
        fields.benchmarkSha256 ?? null,
        new Date().toISOString(),
        runId,
      ],
    );
    if (result.rowCount === 0) throw new AppError('not_found', `no study run ${runId}`);
  }

  async getRun(runId: string): Promise<StoredStudyRun | null> {
    const [row] = await this.db.rows<RunRow>('SELECT * FROM runs WHERE id = $1 AND study_id IS NOT NULL', [runId]);
    return row ? toStoredStudyRun(row) : null;
  }

  async listRuns(studyId: string): Promise<RunInfo[]> {
    const rows = await this.db.rows<RunRow>(
      'SELECT * FROM runs WHERE study_id = $1 ORDER BY created_at COLLATE "C" DESC, rowid DESC',
      [studyId],
    );
    return rows.map(toRun);
  }

  async interruptRunningRuns(keep: readonly string[] = []): Promise<number> {
    const result = await this.db.pool.query(
      "UPDATE runs SET status = 'interrupted', updated_at = $1 WHERE status = 'running' AND NOT (id = ANY($2::text[]))",
      [new Date().toISOString(), [...keep]],
    );
    return result.rowCount ?? 0;
  }

  async listStudyRecords(studyId: string): Promise<StudyRecord[]> {
    const rows = await this.db.rows<StudyRecordRow>(
      'SELECT problem_id, task, json, float_paths_json FROM visible_records WHERE study_id = $1 ORDER BY file_id, line',
      [studyId],
    );
    return rows.map(toStudyRecord);
  }

  async studyEpisodes(studyId: string, page: { after: EpisodeCursor | null; limit: number }): Promise<StudyEpisode[]> {
    // Batch episodes belong to the study through their run; live episodes and twins carry study_id themselves.
    const rows = await this.db.rows<StudyEpisodeRow>(
      `SELECT e.*, rec.task AS task FROM episodes e
         LEFT JOIN runs r ON r.id = e.run_id
         LEFT JOIN visible_records rec ON rec.study_id = $1 AND rec.problem_id = e.problem_id
       WHERE (e.study_id = $1 OR r.study_id = $1)
         AND ($2::text IS NULL OR e.started_at COLLATE "C" > $2
              OR (e.started_at = $2 AND e.id COLLATE "C" > $3))
       ORDER BY e.started_at COLLATE "C", e.id COLLATE "C" LIMIT $4`,
      [studyId, page.after?.startedAt ?? null, page.after?.id ?? '', page.limit],
    );
    return rows.map(toStudyEpisode);
  }

  async studyParticipants(
    studyId: string,
    page: { after: ParticipantCursor | null; limit: number },
  ): Promise<StudyParticipant[]> {
    // One snapshot for the page's statements, so its counts and times agree with each other.
    return this.db.transaction(async (client) => studyParticipantsPage(client, studyId, page), 'serializable');
  }

  async prolificIds(participantIds: readonly string[]): Promise<Map<string, ProlificIds>> {
    return prolificIdsOf(this.db, participantIds);
  }

  async episodeEvents(
    episodeIds: readonly string[],
    types: readonly EpisodeEvent['type'][],
  ): Promise<{ episodeId: string; event: EpisodeEvent }[]> {
    if (episodeIds.length === 0 || types.length === 0) return [];
    const rows = await this.db.rows<{ episode_id: string; json: string }>(
      `SELECT episode_id, json FROM episode_events
       WHERE episode_id = ANY($1::text[]) AND type = ANY($2::text[])
       ORDER BY episode_id, seq`,
      [[...episodeIds], [...types]],
    );
    return eventsInEpisodeOrder(episodeIds, rows);
  }
}
