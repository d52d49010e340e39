import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { EpisodeEventSchema, type EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { RunInfo, RunProgress, RunStatus } from '../../../shared/schemas/research.ts';
import type { NewStudyRun, StoredStudyRun, StudyEpisode, StudyRecord } from '../research-storage.ts';
import { episodeRowToSummary, type EpisodeRow } from './episode-rows.ts';
import { withStoredFloats } from './record-float-paths.ts';

// The research reads' rows and mappers, for both engines: the same column names and JavaScript types.

/** A `runs` row (migrations 001 and 006). */
export interface RunRow {
  id: string;
  study_id: string;
  status: RunStatus;
  options_json: string;
  progress_json: string | null;
  out_path: string | null;
  benchmark_sha256: string | null;
  created_at: string;
  updated_at: string | null;
}

/** An episode row with what tells a study's episodes apart, and its record's task (null when none matches). */
export interface StudyEpisodeRow extends EpisodeRow {
  participant_id: string | null;
  twin_of: string | null;
  task: string | null;
}

/** A `visible_records` row as the study's record list reads it. */
export interface StudyRecordRow {
  problem_id: string;
  task: string;
  json: string;
  float_paths_json: string | null;
}

export function toRun(row: RunRow): RunInfo {
  return {
    id: row.id,
    studyId: row.study_id,
    status: row.status,
    options: JSON.parse(row.options_json) as RunInfo['options'],
    progress: row.progress_json === null ? null : (JSON.parse(row.progress_json) as RunProgress),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A study run's `runs` row with where its results go and what benchmark it played. */
export function toStoredStudyRun(row: RunRow): StoredStudyRun {
  return { ...toRun(row), outPath: row.out_path, benchmarkSha256: row.benchmark_sha256 };
}

/** What createStudyRun answers for the row it inserted: running, no progress yet. */
export function newStudyRunInfo(input: NewStudyRun, now: string): RunInfo {
  return {
    id: input.id,
    studyId: input.studyId,
    status: 'running',
    options: input.options,
    progress: null,
    createdAt: now,
    updatedAt: now,
  };
}

export function toStudyEpisode(row: StudyEpisodeRow): StudyEpisode {
  return {
    ...episodeRowToSummary(row),
    source: row.twin_of !== null ? 'twin' : row.participant_id !== null ? 'live' : 'batch',
    task: row.task ?? 'unknown',
    participantId: row.participant_id,
    twinOf: row.twin_of,
  };
}

export function toStudyRecord(r: StudyRecordRow): StudyRecord {
  return {
    problemId: r.problem_id,
    task: r.task,
    record: withStoredFloats(JSON.parse(r.json) as BenchmarkRecord, r.float_paths_json),
  };
}

/**
 * Event rows (ordered by episode, then seq) parsed and put in the order of `episodeIds`, each episode's events in seq
 * order: the answer of `episodeEvents` on either engine.
 */
export function eventsInEpisodeOrder(
  episodeIds: readonly string[],
  rows: readonly { episode_id: string; json: string }[],
): { episodeId: string; event: EpisodeEvent }[] {
  const byEpisode = new Map<string, { episodeId: string; event: EpisodeEvent }[]>();
  for (const row of rows) {
    const list = byEpisode.get(row.episode_id) ?? [];
    list.push({ episodeId: row.episode_id, event: EpisodeEventSchema.parse(JSON.parse(row.json)) });
    byEpisode.set(row.episode_id, list);
  }
  return episodeIds.flatMap((id) => byEpisode.get(id) ?? []);
}
