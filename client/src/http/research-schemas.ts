/**
 * The researcher API's response types, for the console's components. The schemas themselves are the ones the routes
 * declare and validate on the server (shared/schemas/api-*.ts); nothing is redefined here, so a change there breaks
 * the client's build. New code can import from shared/ directly.
 */
export type { Imported, ImportIssue, Invite } from '../../../shared/schemas/api-studies.ts';
export type { LiveEpisode, ModelInfo, StoredEpisode } from '../../../shared/schemas/api-research.ts';
export type { LiveHealth, StudyResults } from '../../../shared/schemas/api-results.ts';
export type { EpisodeStatus, EpisodeSummary } from '../../../shared/schemas/episode.ts';
export type { ImportRefusal } from './study-admin-api.ts';
