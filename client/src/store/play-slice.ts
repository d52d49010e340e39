import type { StoreApi } from 'zustand';
import type { ActorEvent, ChunkMessage, StorageNoticeState } from '../../../shared/protocol/live.ts';
import { navigate } from '../app/router.ts';
import { LiveSync } from '../realtime/live-sync.ts';
import type { LiveSyncState } from '../realtime/live-sync-state.ts';
import { socketPort } from '../realtime/socket.ts';
import { noMoreTasksMessage } from './play-outcome.ts';
import { memory } from './session-memory.ts';
import type { AppSlice, AppState } from './types.ts';

/**
 * The actor's live episode in the store: a mirror of LiveSync's state (realtime/live-sync.ts, where the holds,
 * resyncs and the outbox live) and actions that forward to it. What the actor sends is in play-reply-slice.ts.
 */
export type PlaySlice = Pick<
  LiveSyncState,
  'episode' | 'playPhase' | 'playError' | 'playLog' | 'episodeStatus' | 'idleWarning' | 'storageNotice'
> & {
  /** Starts or resumes the actor's episode (on the first connection and after "next task"). */
  startPlay: () => Promise<void>;
  playOnConnect: (reconnected: boolean) => void;
  nextTask: () => void;
  /** Another participant joined in this tab: forget everything of the previous one. */
  resetPlay: () => void;
  onEpisodeAppended: (episodeId: string, event: ActorEvent) => void;
  onEpisodeChunked: (chunk: ChunkMessage) => void;
  onEpisodeWarned: (episodeId: string, secondsLeft: number) => void;
  onEpisodeStorage: (episodeId: string, state: StorageNoticeState) => void;
};

const syncs = new WeakMap<StoreApi<AppState>, LiveSync>();

/** The store's one LiveSync, shared by the play and reply slices; its every change is copied into the store. */
export function liveSyncOf(...[set, get, api]: Parameters<AppSlice<unknown>>): LiveSync {
  let sync = syncs.get(api);
  if (!sync) {
    sync = new LiveSync({
      socket: socketPort(),
      memory,
      participantId: () => get().participant?.participantId ?? null,
      onChange: (state) => set(state),
      onFinished: (message, completionCode) => {
        get().setFinish({ role: 'actor', completionCode, message });
        navigate('/done', { replace: true });
      },
      onNoWork: () => {
        // Nothing new to do: the code of the episode this actor finished before (if any) stays on the done page.
        const before = get().finish;
        get().setFinish({
          role: 'actor',
          completionCode: before?.completionCode ?? null,
          message: noMoreTasksMessage(),
        });
        navigate('/done', { replace: true });
      },
    });
    syncs.set(api, sync);
  }
  return sync;
}

export const createPlaySlice: AppSlice<PlaySlice> = (...args) => {
  const sync = liveSyncOf(...args);
  const { episode, playPhase, playError, playLog, episodeStatus, idleWarning, storageNotice } = sync.state;
  return {
    episode,
    playPhase,
    playError,
    playLog,
    episodeStatus,
    idleWarning,
    storageNotice,
    startPlay: () => sync.start(),
    playOnConnect: (reconnected) => sync.onConnected(reconnected),
    resetPlay: () => sync.reset(),
    nextTask: () => {
      sync.nextTask();
      // The play page starts the next episode when it mounts. Replaced, not pushed: Back must not return to the done
      // page of the task before.
      navigate('/play', { replace: true });
    },
    onEpisodeAppended: (episodeId, event) => sync.onAppended(episodeId, event),
    onEpisodeChunked: (chunk) => sync.onChunked(chunk),
    onEpisodeWarned: (episodeId, secondsLeft) => sync.onWarned(episodeId, secondsLeft),
    onEpisodeStorage: (episodeId, state) => sync.onStorage(episodeId, state),
  };
};
