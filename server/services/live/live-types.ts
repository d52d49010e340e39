import type { ActorEvent, ChunkMessage, StorageNoticeState } from '../../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import type { Storage } from '../../storage/storage.ts';
import type { HeldEpisode } from '../studies/rating-candidates.ts';
import type { Logger } from '../logger.ts';
import type { LiveNode } from './episode-ownership.ts';

/** How a study's live episodes are run (from the study's settings). */
export interface LivePlaySettings {
  mode: Mode;
  judgeModel: string;
  simulatorModel: string;
  maxTurns: number;
  idleTimeoutSeconds: number;
  /** The idle warning comes this many seconds before the timeout (default: at 80% of it). */
  idleWarningSeconds?: number;
  instructions: string;
  /** Run the same record × model fully simulated next to each live episode. */
  simulatedTwin: boolean;
  /** The study's prompt pack (a folder of the server's prompts folder); '' or absent: the built-in prompts. */
  promptPack?: string;
  /** Codes shown to the actor at the end (Prolific completion codes); null when the study has none. */
  completionCodes?: { completed: string | null; timedOut: string | null };
}

/** One unit of live play handed to an actor by the study's queue. */
export interface PlayUnit {
  assignmentId: string | null;
  studyId: string;
  problemId: string;
  model: string;
}

/** Where live play gets its work and reports it done (the study queue). */
export interface PlayQueue {
  nextPlay(studyId: string, participantId: string): Promise<PlayUnit | null>;
  /** The actor finished (rated) the episode; returns the completion code to show, if the study has one. */
  completePlay(assignmentId: string | null, studyId: string, participantId: string): Promise<string | null>;
  /** The actor is still playing (they just replied): keeps their lease from expiring mid-episode. */
  renewPlay?(assignmentId: string | null, studyId: string, participantId: string): Promise<void>;
  /**
   * The episode ended without the actor finishing it: the unit goes back to the queue for someone else. `outcome` is
   * the actor's stored end: 'timed_out' (they went idle, or the server could not go on) pays the partial code; null
   * (a researcher ended the session) records none, so the researcher decides about payment.
   */
  releasePlay?(
    assignmentId: string | null,
    studyId: string,
    participantId: string,
    outcome: 'timed_out' | null,
  ): Promise<void>;
  settings(studyId: string): Promise<LivePlaySettings>;
}

/** How live sessions reach browsers; implemented over Socket.IO rooms in server/realtime. */
export interface LiveBroadcast {
  toActor(episodeId: string, event: ActorEvent): void;
  chunk(episodeId: string, chunk: ChunkMessage): void;
  idleWarning(episodeId: string, secondsLeft: number): void;
  /** Saving the episode is delayed (the conversation pauses), works again, or gave up (the episode ends). */
  storageNotice(episodeId: string, state: StorageNoticeState): void;
  toWatchers(episodeId: string, event: EpisodeEvent): void;
}

export interface LiveDeps {
  storage: Storage;
  model(name: string): ModelProvider;
  queue: PlayQueue;
  broadcast: LiveBroadcast;
  /** The service's logger; each episode logs through a child carrying its studyId and episodeId. */
  log: Logger;
  /** How long a streamed text delta may wait to be sent with the next ones (default CHUNK_WINDOW_MS; 0 sends each). */
  chunkWindowMs?: number;
  /**
   * How long an event that cannot be stored is retried before the episode fails with `storage_failed` (default
   * STORAGE_RETRY_WINDOW_MS). The conversation pauses meanwhile; tests set it small.
   */
  storageRetryWindowMs?: number;
  /**
   * Loads a prompt pack by folder name (the server's prompts folder), throwing when it cannot be used; absent: live
   * episodes use the built-in prompts only.
   */
  prompts?: (folder: string) => PromptSet;
  /** A job was enqueued (a simulated twin): the research worker claims it now rather than at its next poll. */
  wakeJobs?(): void;
  /**
   * A live episode (or its simulated twin) finished with a final answer: it becomes a rating candidate. `held`: the
   * episode as stored, when the caller holds it (its log in memory), so it need not be read back.
   */
  onAnswered?(studyId: string, episodeId: string, held?: HeldEpisode): Promise<void>;
  /** This process as a node of the database's servers (episode-ownership.ts); default: the only one, a random id. */
  node?: LiveNode;
}
