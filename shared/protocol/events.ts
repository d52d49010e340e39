import type { EpisodeEvent } from '../schemas/episode.ts';
import type { Identity } from '../schemas/identity.ts';
import type { ActorEvent, ChunkMessage, PlaySnapshot, ResyncResult } from './live.ts';
import type { BlindRatingItem, RatingSubmitPayload, RatingSubmitted } from '../schemas/live-study.ts';
import type { StudySummary } from '../schemas/study.ts';
import type { Ack } from './acks.ts';

/** Bumped whenever an event's name or payload changes incompatibly; clients send it when they connect. */
export const PROTOCOL_VERSION = 1;

/**
 * Requests are named `domain:verb` and always take an ack; broadcasts are `domain:verbed`.
 * Payloads are parsed on the server with the zod schemas in shared/schemas before use.
 */
export interface ClientToServerEvents {
  /** Actor: the current episode (resumed) or the next one from the study's queue; joins its updates. */
  'play:start': (payload: Record<string, never>, ack: (result: Ack<PlaySnapshot>) => void) => void;
  /** Actor: a reply to the model's question; acknowledged once stored. Resending the same clientMessageId is safe. */
  'episode:reply': (
    payload: { episodeId: string; clientMessageId: string; text: string },
    ack: (result: Ack<{ seq: number; duplicate: boolean }>) => void,
  ) => void;
  /** Actor: everything visible after `afterSeq`, plus the model turn being streamed; rejoins the episode's updates. */
  'episode:resync': (
    payload: { episodeId: string; afterSeq: number },
    ack: (result: Ack<ResyncResult>) => void,
  ) => void;
  'episode:tag': (
    payload: { episodeId: string; turn: number; tag: 'relevant' | 'redundant' | 'premature' | 'off_persona' },
    ack: (result: Ack<{ seq: number }>) => void,
  ) => void;
  /** Actor: their own rating of the final answer; completes the assignment and returns the completion code, if any. */
  'episode:rate': (
    payload: {
      episodeId: string;
      scores: Record<string, number>;
      correct: 0 | 1;
      justification?: string;
      secondsSpent: number;
    },
    ack: (result: Ack<{ seq: number; completionCode: string | null }>) => void,
  ) => void;
  /** Researcher: the full event log of a live episode, then every new event as it is stored. */
  'episode:watch': (payload: { episodeId: string }, ack: (result: Ack<EpisodeEvent[]>) => void) => void;
  'study:list': (payload: Record<string, never>, ack: (result: Ack<StudySummary[]>) => void) => void;
  /** Rater: the item in hand, else the next one from the study's queue, blinded; `no_work` when there is none. */
  'rating:next': (payload: Record<string, never>, ack: (result: Ack<BlindRatingItem>) => void) => void;
  /** Rater: scores for an item leased to them, once per item; the ack says how far they are, never if it was gold. */
  'rating:submit': (payload: RatingSubmitPayload, ack: (result: Ack<RatingSubmitted>) => void) => void;
}

/** Every request event, for tests that must cover them all (the type check below fails if one is missing). */
export const CLIENT_EVENT_NAMES = [
  'study:list',
  'play:start',
  'episode:reply',
  'episode:resync',
  'episode:tag',
  'episode:rate',
  'episode:watch',
  'rating:next',
  'rating:submit',
] as const;
type MissingClientEvent = Exclude<keyof ClientToServerEvents, (typeof CLIENT_EVENT_NAMES)[number]>;
const allClientEventsListed: [MissingClientEvent] extends [never] ? true : MissingClientEvent = true;
void allClientEventsListed;

export interface ServerToClientEvents {
  /** To the actor: a stored event, in their view (ActorEvent). */
  'episode:appended': (payload: { episodeId: string; event: ActorEvent }) => void;
  /** To the actor: a piece of the model's turn as it is generated (not stored; the whole message follows). */
  'episode:chunked': (payload: ChunkMessage) => void;
  /** To the actor: they have been idle; the episode ends in `secondsLeft` seconds without a reply. */
  'episode:warned': (payload: { episodeId: string; kind: 'idle'; secondsLeft: number }) => void;
  /** To watching researchers: every stored event, unfiltered. */
  'episode:logged': (payload: { episodeId: string; event: EpisodeEvent }) => void;
  'study:imported': (payload: { studyId: string; recordsAdded: number }) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events yet
export interface InterServerEvents {}

export interface SocketData {
  protocolVersion: number;
  /** Set at the handshake from the session cookie (server/realtime/socket-auth.ts); null for nobody. */
  identity: Identity | null;
}
