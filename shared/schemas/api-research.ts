import { z } from 'zod';
import { pageQuerySchema } from './api-common.ts';
import { EpisodeEventSchema, EpisodeStatusSchema, EpisodeSummarySchema } from './episode.ts';
import { RunInfoSchema } from './research.ts';

/** Batch runs, the live monitor, episode logs and the declared models: the researcher console's reads over HTTP. */

export const RunResponseSchema = z.object({ run: RunInfoSchema });
export const RunsResponseSchema = z.object({ runs: z.array(RunInfoSchema) });
/** `POST …/runs` (202): the new run, and the earlier run with the same options it resumes, if any. */
export const RunStartedSchema = z.object({ runId: z.string(), resumedFrom: z.string().nullable(), run: RunInfoSchema });
export type RunStarted = z.infer<typeof RunStartedSchema>;

export const RunEpisodesQuerySchema = pageQuerySchema(100, 1000);
export const RunEpisodesPageSchema = z.object({
  total: z.number().int().min(0),
  episodes: z.array(EpisodeSummarySchema),
});
export type RunEpisodesPage = z.infer<typeof RunEpisodesPageSchema>;

/**
 * `GET …/live-episodes`: the study's live episodes newest first, a page at a time (the console asks for
 * LIVE_EPISODES_PAGE; the API's default page is the 1,000 the list once returned whole).
 */
export const LiveEpisodesQuerySchema = pageQuerySchema(1000, 1000).extend({ status: EpisodeStatusSchema.optional() });
/** Rows per page of the console's live episodes table. */
export const LIVE_EPISODES_PAGE = 25;

/** Where a live episode belongs: its study, person and assignment, and the engine options it was started with. */
const liveShape = {
  studyId: z.string(),
  participantId: z.string(),
  assignmentId: z.string().nullable(),
  spec: z.record(z.string(), z.unknown()),
};
/**
 * Whether the participant's browser is there now: online (connected, sent something lately), idle (connected, nothing
 * sent for a while), disconnected (no socket). `since` is when that state began, null when unknown (not seen since the
 * server started); `lastInputAt` is their browser's last request.
 */
export const PRESENCE_STATES = ['online', 'idle', 'disconnected'] as const;
export const ParticipantPresenceSchema = z.object({
  state: z.enum(PRESENCE_STATES),
  since: z.string().nullable(),
  lastInputAt: z.string().nullable(),
});
export type ParticipantPresence = z.infer<typeof ParticipantPresenceSchema>;

/**
 * A live episode as the live monitor lists it: with the actor's Prolific id (null when they joined without one) and
 * their presence now.
 */
export const LiveEpisodeSchema = EpisodeSummarySchema.extend({
  ...liveShape,
  prolificPid: z.string().nullable(),
  presence: ParticipantPresenceSchema,
});
export type LiveEpisode = z.infer<typeof LiveEpisodeSchema>;
/** One page of live episodes and how many the filter matches in all. */
export const LiveEpisodesResponseSchema = z.object({
  total: z.number().int().min(0),
  episodes: z.array(LiveEpisodeSchema),
});
export type LiveEpisodesPage = z.infer<typeof LiveEpisodesResponseSchema>;

/** `GET /api/episodes/:episodeId`: any stored episode (batch, live or twin) with its whole event log. */
export const StoredEpisodeSchema = z.object({
  summary: EpisodeSummarySchema,
  live: z.object(liveShape).nullable(),
  /** The simulated twin episodes run beside a live one. */
  twins: z.array(z.string()),
  events: z.array(EpisodeEventSchema),
});
export type StoredEpisode = z.infer<typeof StoredEpisodeSchema>;

/** `GET /api/models`: `available` is false for a declared model this server cannot call (no API key). */
export const ModelInfoSchema = z.object({ name: z.string(), available: z.boolean() });
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
export const ModelsResponseSchema = z.object({ models: z.array(ModelInfoSchema) });
