import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { EpisodeStatus, EpisodeSummary } from './episode-storage.ts';

/** What a live episode needs to be resumed after a restart, besides its events. */
export interface LiveEpisodeInfo {
  summary: EpisodeSummary;
  studyId: string;
  participantId: string;
  assignmentId: string | null;
  /** Engine settings the episode runs with (max turns, fixed K, reference switches). */
  spec: Record<string, unknown>;
}

/** The live monitor's figures for a study, counted by the database over every live episode of it (not a page). */
export interface LiveTally {
  /** Live episodes in each status; a status none is in is absent. */
  byStatus: Partial<Record<EpisodeStatus, number>>;
  /** Failed live episodes grouped by stage and reason: the most frequent first (ties by stage, then reason). */
  failures: { stage: string; reason: string; count: number }[];
  /** Every model the study's live episodes name (model under test, judge, simulator), sorted. */
  models: string[];
}

export interface LiveListFilter {
  studyId?: string;
  status?: EpisodeStatus;
  participantId?: string;
  assignmentId?: string;
  offset?: number;
  limit?: number;
}

/** The most live episodes one `listLive` returns. */
export const MAX_LIVE_LIST = 1000;

/** A live episode's activity as the researcher's list of held units shows it. */
export interface LiveActivity {
  /** The person's replies stored (message events of role `user`, kind `reply`). */
  replies: number;
  /** The `at` of its last stored event; null when it has none (or the last one carries no time). */
  lastEventAt: string | null;
}

/** What a live episode's end stores (its summary fields). */
export interface LiveEpisodeEnd {
  status: EpisodeStatus;
  weightedScore: number | null;
  correct: 0 | 1 | null;
  interactionTurns: number | null;
  failure: { stage: string; reason: string } | null;
}

/**
 * A write made as the episode's owner (`owner`: a node id, node-storage.ts) was refused: the episode's owner row
 * (live_episode_owners) names another node, or none. This node stalled past its lease and another took the episode
 * over; nothing of the write was stored.
 */
export interface NotOwner {
  stored: false;
  reason: 'not_owner';
}

/** The outcome of `appendOwned`: every event's seq (as `append` gives it), or refused as a whole. */
export type OwnedAppend = { stored: true; results: { seq: number; duplicate: boolean }[] } | NotOwner;

/**
 * Live episodes, event by event. Each event is stored before anyone is told about it (acks, broadcasts), so an
 * acknowledged message survives a crash; a reply's client message id makes a resend idempotent.
 */
export interface LiveEpisodeStorage {
  /** Creates a running episode. */
  begin(info: LiveEpisodeInfo): Promise<void>;
  /**
   * Appends one event. If it carries a `clientMessageId` already stored for this episode, nothing is written and the
   * earlier event's seq is returned with `duplicate: true`.
   */
  append(episodeId: string, event: EpisodeEvent): Promise<{ seq: number; duplicate: boolean }>;
  /**
   * Appends events of one episode (in seq order) as its owner node: all of them in one transaction, stored only if
   * the episode's owner row names `owner`, checked in that same transaction (fencing: a node that stalled past its
   * lease while another took the episode over stores nothing after the takeover). Each event behaves as in `append`
   * (duplicate client ids, conflicts); a conflict stores none of the group.
   */
  appendOwned(episodeId: string, events: readonly EpisodeEvent[], owner: string): Promise<OwnedAppend>;
  /** The seq of the event a browser's reply id produced, if it was stored. */
  findClientMessage(episodeId: string, clientMessageId: string): Promise<number | null>;
  /** Events with seq > afterSeq, in order. */
  eventsAfter(episodeId: string, afterSeq: number): Promise<EpisodeEvent[]>;
  /**
   * Stores the episode's end. With `owner`, only if the episode's owner row names it, checked in the same statement
   * (else `not_owner` and nothing is changed); without, unconditionally (twins, which no node owns).
   */
  finish(episodeId: string, fields: LiveEpisodeEnd, owner?: string): Promise<{ stored: true } | NotOwner>;
  get(episodeId: string): Promise<LiveEpisodeInfo | null>;
  /** Live episodes still running (to resume at start-up). */
  running(): Promise<LiveEpisodeInfo[]>;
  /**
   * The participant's running live episode, if any. One they have rated is over for them even while it still runs
   * (its twin reply may still be waiting for a slow model): they go on to the next one.
   */
  runningFor(participantId: string): Promise<string | null>;
  /** The participant's finished live episode they have not rated yet, if any (a reload must return to it). */
  awaitingRatingFor(participantId: string): Promise<string | null>;
  /** Who played an episode (null for batch and simulated episodes): raters never rate their own sessions. */
  sourceParticipantOf(episodeId: string): Promise<string | null>;
  /**
   * Starts the simulated twin of a live episode as a running episode linked to it, whose events then go through
   * `append` one by one and whose end through `finish` (so a crash mid-twin leaves its prefix stored). A live episode
   * has one twin: if it has one already, that one is returned (`created: false`) and nothing is written.
   */
  beginTwin(liveEpisodeId: string, summary: EpisodeSummary): Promise<{ twin: EpisodeSummary; created: boolean }>;
  /** A fully simulated episode run alongside a live one (same record and model), linked to it, stored whole. */
  saveTwin(liveEpisodeId: string, summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void>;
  /** Episodes linked to a live episode as its simulated twins. */
  twinsOf(liveEpisodeId: string): Promise<string[]>;
  /**
   * Live episodes (of a study, in a status, of a participant, on an assignment: each given condition holds), newest
   * first: `limit` of them (at most and by default 1,000) after skipping `offset`.
   */
  listLive(filter: LiveListFilter): Promise<LiveEpisodeInfo[]>;
  /** How many live episodes the filter matches in all (its `offset` and `limit` are ignored). */
  countLive(filter: LiveListFilter): Promise<number>;
  /** Counts of the study's live episodes (LiveTally); `maxFailures` caps the failure groups returned. */
  tally(studyId: string, maxFailures: number): Promise<LiveTally>;
  /** The activity of each of these episodes that has events (absent from the map: none stored). */
  activity(episodeIds: readonly string[]): Promise<Map<string, LiveActivity>>;
  /**
   * The units participants hold in the study now, newest first, a page of them and how many in all: each running live
   * episode, and for each assignment still leased with nothing running on it, its newest episode (ended: the person
   * left without giving the unit back).
   */
  units(
    studyId: string,
    page: { offset: number; limit: number },
  ): Promise<{ total: number; episodes: LiveEpisodeInfo[] }>;
}
