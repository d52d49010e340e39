import type { z } from 'zod';
import type { EpisodeEventSchema } from '../schemas/episode.ts';
import type { Identity } from '../schemas/identity.ts';
import type {
  BlindRatingItemSchema,
  RaterCountsSchema,
  RatingFlaggedSchema,
  RatingFlagPayloadSchema,
  RatingNextPayloadSchema,
  RatingProgressPayloadSchema,
  RatingRevisePayloadSchema,
  RatingSkipPayloadSchema,
  RatingSubmitPayloadSchema,
  RatingSubmittedSchema,
} from '../schemas/live-study.ts';
import type { StudySummarySchema } from '../schemas/study.ts';
import type { Ack } from './acks.ts';
import type {
  ChunkMessageSchema,
  EpisodeAppendedSchema,
  EpisodeLoggedSchema,
  EpisodeWarnedSchema,
  PlaySnapshotSchema,
  PlayStartPayloadSchema,
  ReplyAckSchema,
  ReplyPayloadSchema,
  ResyncPayloadSchema,
  ResyncResultSchema,
  SelfRatingAckSchema,
  SelfRatingPayloadSchema,
  StudyImportedSchema,
  StudyListPayloadSchema,
  TagAckSchema,
  TagPayloadSchema,
  WatchPayloadSchema,
} from './live.ts';
import type { NodePresence, PresenceQuery, RemoteTabClaim, RemoteTabClaimAnswer } from './cross-node.ts';
import type { TabClaimPayloadSchema, TabClaimResultSchema, TakenOverSchema } from './tabs.ts';

/** Bumped whenever an event's name or payload changes incompatibly; clients send it when they connect. */
export const PROTOCOL_VERSION = 1;

/**
 * Requests are named `domain:verb` and always take an ack; broadcasts are `domain:verbed`.
 * Payloads are parsed on the server with the zod schemas in shared/schemas before use.
 */
/** A request: the payload (parsed on the server with its schema) and the ack, whose data is typed by its schema too. */
type Request<P extends z.ZodType, D extends z.ZodType> = (
  payload: z.infer<P>,
  ack: (result: Ack<z.infer<D>>) => void,
) => void;

export interface ClientToServerEvents {
  /** Actor: the current episode (resumed) or the next one from the study's queue; joins its updates. */
  'play:start': Request<typeof PlayStartPayloadSchema, typeof PlaySnapshotSchema>;
  /** Actor: a reply to the model's question; acknowledged once stored. Resending the same clientMessageId is safe. */
  'episode:reply': Request<typeof ReplyPayloadSchema, typeof ReplyAckSchema>;
  /** Actor: everything visible after `afterSeq`, plus the model turn being streamed; rejoins the episode's updates. */
  'episode:resync': Request<typeof ResyncPayloadSchema, typeof ResyncResultSchema>;
  'episode:tag': Request<typeof TagPayloadSchema, typeof TagAckSchema>;
  /** Actor: their own rating of the final answer; completes the assignment and returns the completion code, if any. */
  'episode:rate': Request<typeof SelfRatingPayloadSchema, typeof SelfRatingAckSchema>;
  /** Researcher: the full event log of a live episode, then every new event as it is stored. */
  'episode:watch': Request<typeof WatchPayloadSchema, z.ZodArray<typeof EpisodeEventSchema>>;
  'study:list': Request<typeof StudyListPayloadSchema, z.ZodArray<typeof StudySummarySchema>>;
  /** Rater: the item in hand, else the next one from the study's queue, blinded; `no_work` when there is none. */
  'rating:next': Request<typeof RatingNextPayloadSchema, typeof BlindRatingItemSchema>;
  /** Rater: scores for an item leased to them, once per item; the ack says how far they are, never if it was gold. */
  'rating:submit': Request<typeof RatingSubmitPayloadSchema, typeof RatingSubmittedSchema>;
  /** Rater: "can't judge" an item leased to them, with a reason; counts toward their quota, not as a rating. */
  'rating:skip': Request<typeof RatingSkipPayloadSchema, typeof RatingSubmittedSchema>;
  /** Rater: new values (scores, or can't judge) for their most recent judgment, while their task is open. */
  'rating:revise': Request<typeof RatingRevisePayloadSchema, typeof RatingSubmittedSchema>;
  /** Rater: report an item (broken, offensive, wrong correct answer, other) to the researchers. */
  'rating:flag': Request<typeof RatingFlagPayloadSchema, typeof RatingFlaggedSchema>;
  /** Rater: their counters (judged, can't judge, quota, available now, finished). */
  'rating:progress': Request<typeof RatingProgressPayloadSchema, typeof RaterCountsSchema>;
  /** Participant: this tab takes (or, with `takeOver`, takes over) the task; `open_elsewhere` if another tab has it. */
  'session:claim': Request<typeof TabClaimPayloadSchema, typeof TabClaimResultSchema>;
}

export type RequestName = keyof ClientToServerEvents;
/** What a request sends, and the data its ack carries when it succeeds. */
export type RequestPayload<E extends RequestName> = Parameters<ClientToServerEvents[E]>[0];
export type AckData<E extends RequestName> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

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
  'rating:skip',
  'rating:revise',
  'rating:flag',
  'rating:progress',
  'session:claim',
] as const;
type MissingClientEvent = Exclude<keyof ClientToServerEvents, (typeof CLIENT_EVENT_NAMES)[number]>;
const allClientEventsListed: [MissingClientEvent] extends [never] ? true : MissingClientEvent = true;
void allClientEventsListed;

type Broadcast<P extends z.ZodType> = (payload: z.infer<P>) => void;

export interface ServerToClientEvents {
  /** To the actor: a stored event, in their view (ActorEvent). */
  'episode:appended': Broadcast<typeof EpisodeAppendedSchema>;
  /** To the actor: a piece of the model's turn as it is generated (not stored; the whole message follows). */
  'episode:chunked': Broadcast<typeof ChunkMessageSchema>;
  /** To the actor: they have been idle; the episode ends in `secondsLeft` seconds without a reply. */
  'episode:warned': Broadcast<typeof EpisodeWarnedSchema>;
  /** To watching researchers: every stored event, unfiltered. */
  'episode:logged': Broadcast<typeof EpisodeLoggedSchema>;
  'study:imported': Broadcast<typeof StudyImportedSchema>;
  /** To a participant's tab: another tab of theirs took the task over; this one is refused from now on. */
  'session:taken-over': Broadcast<typeof TakenOverSchema>;
}

/** Between app nodes on one PostgreSQL database (shared/protocol/cross-node.ts); each other node acks once. */
export interface InterServerEvents {
  'presence:query': (query: PresenceQuery, ack: (entries: NodePresence[]) => void) => void;
  'tabs:claim': (claim: RemoteTabClaim, ack: (answer: RemoteTabClaimAnswer) => void) => void;
}

export interface SocketData {
  protocolVersion: number;
  /** Set at the handshake from the session cookie (server/realtime/socket-auth.ts); null for nobody. */
  identity: Identity | null;
}
