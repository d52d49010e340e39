import type { EpisodeStatus } from '../../../shared/schemas/episode.ts';

/**
 * Every query key of the researcher console, in one place. A study's data lives under `['study', studyId, …]`, so
 * switching studies never shows one study's numbers under another's name, and invalidating a prefix (a study's runs)
 * reaches everything below it (each run's episode pages) and nothing of another study.
 */

export interface PageRequest {
  offset: number;
  limit: number;
}

export const queryKeys = {
  health: () => ['server', 'health'] as const,
  models: () => ['models'] as const,
  promptPacks: () => ['prompt-packs'] as const,
  studies: () => ['studies'] as const,
  study: (studyId: string) => ['study', studyId] as const,
  records: (studyId: string, page: PageRequest) => ['study', studyId, 'records', page] as const,
  record: (studyId: string, problemId: string) => ['study', studyId, 'record', problemId] as const,
  settings: (studyId: string) => ['study', studyId, 'settings'] as const,
  invites: (studyId: string) => ['study', studyId, 'invites'] as const,
  runs: (studyId: string) => ['study', studyId, 'runs'] as const,
  /** `done` is part of the key: the page is re-read as the run's episodes finish. */
  runEpisodes: (studyId: string, runId: string, page: { offset: number; done: number }) =>
    ['study', studyId, 'runs', runId, 'episodes', page] as const,
  /** A page of the live list (`offset`: its first row); omitted, every page of the filter (to invalidate). */
  liveEpisodes: (studyId: string, status: EpisodeStatus | null, offset?: number) =>
    offset === undefined
      ? (['study', studyId, 'live-episodes', status ?? 'all'] as const)
      : (['study', studyId, 'live-episodes', status ?? 'all', offset] as const),
  liveHealth: (studyId: string) => ['study', studyId, 'live-health'] as const,
  /** A page of the units held now (`offset`: its first row); omitted, every page. */
  liveUnits: (studyId: string, offset?: number) =>
    offset === undefined
      ? (['study', studyId, 'live-units'] as const)
      : (['study', studyId, 'live-units', offset] as const),
  assignments: (studyId: string) => ['study', studyId, 'assignments'] as const,
  results: (studyId: string, sameRecords = false) =>
    ['study', studyId, 'results', sameRecords ? 'same-records' : 'all-records'] as const,
  agreement: (studyId: string) => ['study', studyId, 'agreement'] as const,
  members: (studyId: string) => ['study', studyId, 'members'] as const,
  /** Every page of a study's audit log: invalidated whole when a change adds an entry. */
  auditLog: (studyId: string) => ['study', studyId, 'audit'] as const,
  auditPage: (studyId: string, page: PageRequest) => ['study', studyId, 'audit', page] as const,
  /** A stored episode with its whole log (HTTP), for the transcript dialog. */
  storedEpisode: (episodeId: string) => ['episode', episodeId, 'stored'] as const,
  /** A live episode a researcher watches: the log from `episode:watch`, then each pushed `episode:logged` event. */
  watchedEpisode: (episodeId: string) => ['episode', episodeId, 'watched'] as const,
};

/** Any study's live-episode list, whatever its filter: a pushed "episode ended" event does not say which study. */
export function isLiveEpisodesKey(key: readonly unknown[]): boolean {
  return key[0] === 'study' && key[2] === 'live-episodes';
}
