import { AgreementReportSchema, type AgreementReport } from '../../../shared/schemas/agreement.ts';
import {
  LiveEpisodesResponseSchema,
  ModelsResponseSchema,
  RunEpisodesPageSchema,
  RunResponseSchema,
  RunsResponseSchema,
  RunStartedSchema,
  StoredEpisodeSchema,
  type LiveEpisodesPage,
  type ModelInfo,
  type RunEpisodesPage,
  type RunStarted,
  type StoredEpisode,
} from '../../../shared/schemas/api-research.ts';
import {
  LiveHealthSchema,
  StudyResultsSchema,
  type LiveHealth,
  type StudyResults,
} from '../../../shared/schemas/api-results.ts';
import type { EpisodeStatus } from '../../../shared/schemas/episode.ts';
import type { RunInfo, StartRunBody } from '../../../shared/schemas/research.ts';
import { getJson, postJson } from './request.ts';

/**
 * Batch runs, the live monitor, results, exports and the declared models (docs/researcher-api.md). Each answer is
 * parsed with the schema its route declares on the server (shared/schemas/api-*.ts). Every call takes an optional
 * AbortSignal last, so a query cache can cancel it.
 */

export type { StoredEpisode } from '../../../shared/schemas/api-research.ts';

const study = (studyId: string): string => `/api/studies/${encodeURIComponent(studyId)}`;
const run = (runId: string): string => `/api/runs/${encodeURIComponent(runId)}`;

export async function fetchModels(signal?: AbortSignal): Promise<ModelInfo[]> {
  return (await getJson('/api/models', ModelsResponseSchema, signal)).models;
}

export async function fetchRuns(studyId: string, signal?: AbortSignal): Promise<RunInfo[]> {
  return (await getJson(`${study(studyId)}/runs`, RunsResponseSchema, signal)).runs;
}

export function startRun(studyId: string, body: StartRunBody, signal?: AbortSignal): Promise<RunStarted> {
  return postJson(`${study(studyId)}/runs`, body, RunStartedSchema, signal);
}

export async function cancelRun(runId: string, signal?: AbortSignal): Promise<RunInfo> {
  return (await postJson(`${run(runId)}/cancel`, {}, RunResponseSchema, signal)).run;
}

/** One page of the study's live episodes (newest first) and how many the filter matches in all. */
export function fetchLiveEpisodes(
  studyId: string,
  status: EpisodeStatus | null,
  page: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<LiveEpisodesPage> {
  const query = `?offset=${page.offset}&limit=${page.limit}${status ? `&status=${status}` : ''}`;
  return getJson(`${study(studyId)}/live-episodes${query}`, LiveEpisodesResponseSchema, signal);
}

export function fetchLiveHealth(studyId: string, signal?: AbortSignal): Promise<LiveHealth> {
  return getJson(`${study(studyId)}/live-health`, LiveHealthSchema, signal);
}

/** `sameRecords`: every row computed over the records common to all rows (the server restricts, then computes). */
export function fetchResults(studyId: string, sameRecords: boolean, signal?: AbortSignal): Promise<StudyResults> {
  return getJson(`${study(studyId)}/results${sameRecords ? '?sameRecords=true' : ''}`, StudyResultsSchema, signal);
}

/** Any stored episode (batch, live or twin) with its whole event log. */
export function fetchEpisode(episodeId: string, signal?: AbortSignal): Promise<StoredEpisode> {
  return getJson(`/api/episodes/${encodeURIComponent(episodeId)}`, StoredEpisodeSchema, signal);
}

/** One page of a batch run's episodes, and how many it has. */
export function fetchRunEpisodes(
  runId: string,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<RunEpisodesPage> {
  return getJson(`${run(runId)}/episodes?offset=${offset}&limit=${limit}`, RunEpisodesPageSchema, signal);
}

/** The study's agreement report (docs/agreement-report.md), checked against the shared schema. */
export function fetchAgreement(studyId: string, signal?: AbortSignal): Promise<AgreementReport> {
  return getJson(`${study(studyId)}/agreement`, AgreementReportSchema, signal);
}
