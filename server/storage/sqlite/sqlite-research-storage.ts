import type Database from 'better-sqlite3';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { RunInfo, RunProgress, RunStatus } from '../../../shared/schemas/research.ts';
import type {
  EpisodeCursor,
  NewStudyRun,
  ParticipantCursor,
  ResearchStorage,
  StudyEpisode,
  StoredStudyRun,
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
import type { ProlificIds } from '../people-storage.ts';
import { prolificIdsOf, studyParticipantsPage } from './participant-export-queries.ts';
import { AppError } from '../../../shared/errors.ts';

/** ResearchStorage on SQLite; each method is one synchronous statement or transaction. */
export class SqliteResearchStorage implements ResearchStorage {
  constructor(private readonly db: Database.Database) {}

  async createStudyRun(input: NewStudyRun): Promise<RunInfo> {
    const { id } = input;
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO runs (id, created_at, benchmark_sha256, benchmark_path, out_path, options_json, study_id, status, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
      )
      .run(
        id,
        now,
        input.benchmarkSha256,
        `study:${input.studyId}`,
        input.outPath,
        JSON.stringify(input.options),
        input.studyId,
        now,
      );
    return newStudyRunInfo(input, now);
  }

  async updateRun(
    runId: string,
    fields: { status?: RunStatus; progress: RunProgress; benchmarkSha256?: string },
  ): Promise<void> {
    const changes = this.db
      .prepare(
        `UPDATE runs SET status = COALESCE(?, status), progress_json = ?, benchmark_sha256 = COALESCE(?, benchmark_sha256),
           updated_at = ? WHERE id = ? AND study_id IS NOT NULL`,
      )
      .run(
        fields.status ?? null,
        JSON.stringify(fields.progress),
        fields.benchmarkSha256 ?? null,
        new Date().toISOString(),
        runId,
      ).changes;
    if (changes === 0) throw new AppError('not_found', `no study run ${runId}`);
  }

  async getRun(runId: string): Promise<StoredStudyRun | null> {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ? AND study_id IS NOT NULL').get(runId) as
      RunRow | undefined;
    return row ? toStoredStudyRun(row) : null;
  }

  async listRuns(studyId: string): Promise<RunInfo[]> {
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE study_id = ? ORDER BY created_at DESC, rowid DESC')
      .all(studyId) as RunRow[];
    return rows.map(toRun);
  }

  async interruptRunningRuns(keep: readonly string[] = []): Promise<number> {
    return this.db
      .prepare(
        "UPDATE runs SET status = 'interrupted', updated_at = ? WHERE status = 'running' AND id NOT IN (SELECT value FROM json_each(?))",
      )
      .run(new Date().toISOString(), JSON.stringify(keep)).changes;
  }

  async listStudyRecords(studyId: string): Promise<StudyRecord[]> {
    const rows = this.db
      .prepare(
        'SELECT problem_id, task, json, float_paths_json FROM visible_records WHERE study_id = ? ORDER BY file_id, line',
      )
      .all(studyId) as StudyRecordRow[];
    return rows.map(toStudyRecord);
  }

  async studyEpisodes(studyId: string, page: { after: EpisodeCursor | null; limit: number }): Promise<StudyEpisode[]> {
    // Batch episodes belong to the study through their run; live episodes and twins carry study_id themselves.
    const rows = this.db
      .prepare(
        `SELECT e.*, rec.task AS task FROM episodes e
         LEFT JOIN runs r ON r.id = e.run_id
         LEFT JOIN visible_records rec ON rec.study_id = @study AND rec.problem_id = e.problem_id
       WHERE (e.study_id = @study OR r.study_id = @study)
         AND (@afterAt IS NULL OR e.started_at > @afterAt OR (e.started_at = @afterAt AND e.id > @afterId))
       ORDER BY e.started_at, e.id LIMIT @limit`,
      )
      .all({
        study: studyId,
        afterAt: page.after?.startedAt ?? null,
        afterId: page.after?.id ?? '',
        limit: page.limit,
      }) as StudyEpisodeRow[];
    return rows.map(toStudyEpisode);
  }

  async studyParticipants(
    studyId: string,
    page: { after: ParticipantCursor | null; limit: number },
  ): Promise<StudyParticipant[]> {
    return this.db.transaction(() => studyParticipantsPage(this.db, studyId, page))();
  }

  async prolificIds(participantIds: readonly string[]): Promise<Map<string, ProlificIds>> {
    return prolificIdsOf(this.db, participantIds);
  }

  async episodeEvents(
    episodeIds: readonly string[],
    types: readonly EpisodeEvent['type'][],
  ): Promise<{ episodeId: string; event: EpisodeEvent }[]> {
    if (episodeIds.length === 0 || types.length === 0) return [];
    // The id and type lists go in as one JSON parameter each, so any number of them fits in one statement.
    const rows = this.db
      .prepare(
        `SELECT episode_id, json FROM episode_events
       WHERE episode_id IN (SELECT value FROM json_each(?)) AND type IN (SELECT value FROM json_each(?))
       ORDER BY episode_id, seq`,
      )
      .all(JSON.stringify(episodeIds), JSON.stringify(types)) as { episode_id: string; json: string }[];
    return eventsInEpisodeOrder(episodeIds, rows);
  }
}
