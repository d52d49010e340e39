import { z } from 'zod';
import { AgreementReportSchema, type AgreementReport } from '../../../shared/schemas/agreement.ts';
import { EpisodeEventSchema } from '../../../shared/schemas/episode.ts';
import type { RunInfo, StartRunBody } from '../../../shared/schemas/research.ts';
import {
  EpisodeSummarySchema,
  LiveEpisodeSchema,
  LiveHealthSchema,
  ModelInfoSchema,
  RunSchema,
  StudyResultsSchema,
  type EpisodeStatus,
  type EpisodeSummary,
  type LiveEpisode,
  type LiveHealth,
  type ModelInfo,
  type StudyResults,
} from './research-schemas.ts';
import { getJson, postJson } from './request.ts';

/** Batch runs, the live monitor, results, exports and the declared models (docs/researcher-api.md). */

const study = (studyId: string): string => `/api/studies/${encodeURIComponent(studyId)}`;
const run = (runId: string): string => `/api/runs/${encodeURIComponent(runId)}`;

const RunResponse = z.object({ run: RunSchema });
const RunsResponse = z.object({ runs: z.array(RunSchema) });
const StartedResponse = z.object({ runId: z.string(), resumedFrom: z.string().nullable(), run: RunSchema });

export async function fetchModels(signal?: AbortSignal): Promise<ModelInfo[]> {
  return (await getJson('/api/models', z.object({ models: z.array(ModelInfoSchema) }), signal)).models;
}

export async function fetchRuns(studyId: string, signal?: AbortSignal): Promise<RunInfo[]> {
  return (await getJson(`${study(studyId)}/runs`, RunsResponse, signal)).runs;
}

export async function fetchRun(runId: string, signal?: AbortSignal): Promise<RunInfo> {
  return (await getJson(run(runId), RunResponse, signal)).run;
}

export function startRun(studyId: string, body: StartRunBody): Promise<z.infer<typeof StartedResponse>> {
  return postJson(`${study(studyId)}/runs`, body, StartedResponse);
}

export async function cancelRun(runId: string): Promise<RunInfo> {
  return (await postJson(`${run(runId)}/cancel`, {}, RunResponse)).run;
}

export async function fetchLiveEpisodes(
  studyId: string,
  status: EpisodeStatus | null,
  signal?: AbortSignal,
): Promise<LiveEpisode[]> {
  const query = status ? `?status=${status}` : '';
  return (
    await getJson(`${study(studyId)}/live-episodes${query}`, z.object({ episodes: z.array(LiveEpisodeSchema) }), signal)
  ).episodes;
}

export function fetchLiveHealth(studyId: string, signal?: AbortSignal): Promise<LiveHealth> {
  return getJson(`${study(studyId)}/live-health`, LiveHealthSchema, signal);
}

export function fetchResults(studyId: string, signal?: AbortSignal): Promise<StudyResults> {
  return getJson(`${study(studyId)}/results`, StudyResultsSchema, signal);
}

const StoredEpisodeSchema = z.object({ summary: EpisodeSummarySchema, events: z.array(EpisodeEventSchema) });
export type StoredEpisode = z.infer<typeof StoredEpisodeSchema>;

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
): Promise<{ total: number; episodes: EpisodeSummary[] }> {
  return getJson(
    `${run(runId)}/episodes?offset=${offset}&limit=${limit}`,
    z.object({ total: z.number().int(), episodes: z.array(EpisodeSummarySchema) }),
    signal,
  );
}

/** The study's agreement report (docs/agreement-report.md), checked against the shared schema. */
export function fetchAgreement(studyId: string, signal?: AbortSignal): Promise<AgreementReport> {
  return getJson(`${study(studyId)}/agreement`, AgreementReportSchema, signal);
}
