import type { PlaySnapshot } from '../../../shared/protocol/live.ts';
import { emptyLog, type PlayLog, type QuestionTag } from '../store/play-log.ts';
import type { EpisodeInfo, PendingReply, SessionMemory } from '../store/session-memory.ts';
import type { RequestPort } from './socket.ts';

/** What LiveSync (live-sync.ts) holds and what it is given: its state, its ports and its callbacks. */

/** `answered`: the model gave its final answer and the actor should rate it; `done`: nothing left to do here. */
export type PlayPhase = 'idle' | 'starting' | 'playing' | 'answered' | 'done' | 'error';

export interface LiveSyncState {
  episode: EpisodeInfo | null;
  playPhase: PlayPhase;
  playError: string | null;
  playLog: PlayLog;
  episodeStatus: PlaySnapshot['status'];
  idleWarning: { secondsLeft: number; receivedAt: number } | null;
  /** Saving the conversation is delayed (it is paused) or failed (the episode is ending); null when all is well. */
  storageNotice: 'delayed' | 'failed' | null;
  /** Replies sent but not yet acknowledged by the server, oldest first. */
  outbox: PendingReply[];
  draft: string;
  replyError: string | null;
  /** Tags sent and not yet seen back in the log, by turn. */
  pendingTags: Record<number, QuestionTag>;
  tagError: string | null;
  selfRatingBusy: boolean;
  selfRatingError: string | null;
}

export const initialLiveSyncState = (): LiveSyncState => ({
  episode: null,
  playPhase: 'idle',
  playError: null,
  playLog: emptyLog(),
  episodeStatus: 'running',
  idleWarning: null,
  storageNotice: null,
  outbox: [],
  draft: '',
  replyError: null,
  pendingTags: {},
  tagError: null,
  selfRatingBusy: false,
  selfRatingError: null,
});

/** What LiveSync.nextTask clears: the actor moves on, and the page then starts the next episode. */
export const nextTaskPatch = (): Partial<LiveSyncState> => ({
  episode: null,
  playLog: emptyLog(),
  playPhase: 'idle',
  idleWarning: null,
  storageNotice: null,
  outbox: [],
  draft: '',
});

/** What LiveSync.reset clears: another participant joined in this tab, so nothing of the previous one is kept. */
export const resetPatch = (): Partial<LiveSyncState> => ({
  episode: null,
  playLog: emptyLog(),
  playPhase: 'idle',
  playError: null,
  idleWarning: null,
  outbox: [],
  draft: '',
  pendingTags: {},
});

export type LiveSyncMemory = Pick<
  SessionMemory,
  'outbox' | 'saveOutbox' | 'draft' | 'saveDraft' | 'episode' | 'saveEpisode'
>;

export interface SelfRating {
  scores: Record<string, number>;
  /** Not asked of actors any more (they never see the correct answer); kept for the payload's older shape. */
  correct?: 0 | 1;
  justification?: string;
  secondsSpent: number;
}

export interface LiveSyncDeps {
  socket: RequestPort;
  memory: LiveSyncMemory;
  /** The actor playing (the tab's memory is keyed by it); null while nobody has joined. */
  participantId: () => string | null;
  /** Called after every change with the whole new state. */
  onChange: (state: LiveSyncState) => void;
  /** The episode is over for the actor (rated, failed): show how it ended. */
  onFinished: (message: string, completionCode: string | null) => void;
  /** The study has no more work for this actor. */
  onNoWork: () => void;
  now?: () => number;
  newClientMessageId?: () => string;
}
