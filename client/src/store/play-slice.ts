import type { ActorEvent, ChunkMessage, PlaySnapshot, StreamingTurn } from '../../../shared/protocol/live.ts';
import { navigate } from '../app/router.ts';
import { ackMessage, request } from '../realtime/socket.ts';
import {
  appendEvents,
  applyChunk,
  applyEvent,
  emptyLog,
  finalAnswerOf,
  withServerStream,
  type PlayLog,
} from './play-log.ts';
import { failureMessage, infoOf, RATED } from './play-outcome.ts';
import { memory, type EpisodeInfo } from './session-memory.ts';
import type { AppSlice } from './types.ts';

/** `answered`: the model gave its final answer and the actor should rate it; `done`: nothing left to do here. */
export type PlayPhase = 'idle' | 'starting' | 'playing' | 'answered' | 'done' | 'error';

/** The actor's live episode: what they play, the conversation as the server stored it, and the turn streaming in. */
export interface PlaySlice {
  episode: EpisodeInfo | null;
  playPhase: PlayPhase;
  playError: string | null;
  playLog: PlayLog;
  episodeStatus: PlaySnapshot['status'];
  idleWarning: { secondsLeft: number; receivedAt: number } | null;
  /** Starts or resumes the actor's episode (on the first connection and after "next task"). */
  startPlay: () => Promise<void>;
  /** Fetches what was missed since the last applied event and the server's buffer of the streaming turn. */
  resyncEpisode: () => Promise<void>;
  /** Decides the phase from the log: answered, finished (rated, failed) or still playing. */
  settlePlay: (completionCode: string | null) => void;
  /** The episode is over for the actor: forget it here, keep how it ended, show the done page. */
  finishPlay: (message: string, completionCode: string | null) => void;
  playOnConnect: (reconnected: boolean) => void;
  nextTask: () => void;
  /** Another participant joined in this tab: forget everything of the previous one. */
  resetPlay: () => void;
  onEpisodeAppended: (episodeId: string, event: ActorEvent) => void;
  onEpisodeChunked: (chunk: ChunkMessage) => void;
  onEpisodeWarned: (episodeId: string, secondsLeft: number) => void;
}

export const createPlaySlice: AppSlice<PlaySlice> = (set, get) => {
  // While play:start or a resync is in flight, broadcasts are held back and applied after its answer: the server joins
  // this socket to the episode before it reads the snapshot, so a broadcast may overtake the answer it belongs after.
  let holds = 0;
  let resyncing = false;
  let held: (() => void)[] = [];
  let starting: Promise<void> | null = null;

  const adopt = (
    info: EpisodeInfo,
    events: ActorEvent[],
    streaming: StreamingTurn | null,
    status: PlaySnapshot['status'],
    code: string | null,
  ): void => {
    const log = withServerStream(appendEvents(emptyLog(), events), streaming);
    set({
      episode: info,
      playLog: log,
      episodeStatus: status,
      playPhase: 'playing',
      playError: null,
      idleWarning: null,
    });
    get().restoreReplies(info.episodeId);
    get().settlePlay(code);
    get().flushOutbox();
  };

  const release = (): void => {
    holds -= 1;
    if (holds > 0) return;
    const waiting = held;
    held = [];
    for (const apply of waiting) apply();
  };

  const start = async (): Promise<void> => {
    holds += 1;
    try {
      await startOrResume();
    } finally {
      release();
    }
  };

  const startOrResume = async (): Promise<void> => {
    const p = get().participant;
    if (!p) return;
    set({ playPhase: 'starting', playError: null });
    const cached = memory.episode(p.participantId);
    if (cached) {
      const r = await request('episode:resync', { episodeId: cached.episodeId, afterSeq: -1 });
      // An episode that has ended cannot be resumed with play:start (it would hand out a new one): show it from here.
      if (r.ok && r.data.status !== 'running')
        return adopt(cached, r.data.events, r.data.streaming, r.data.status, r.data.completionCode);
      if (!r.ok && (r.error === 'timeout' || r.error === 'offline')) {
        set({ playPhase: 'error', playError: ackMessage(r) });
        return;
      }
      if (!r.ok) memory.saveEpisode(p.participantId, null);
    }
    const r = await request('play:start', {});
    if (!r.ok) {
      if (r.error === 'no_work') {
        set({ playPhase: 'done' });
        const before = get().finish;
        get().setFinish({
          role: 'actor',
          completionCode: before?.completionCode ?? null,
          message: 'There are no more tasks for you in this study.',
        });
        navigate('/done', { replace: true });
        return;
      }
      set({ playPhase: 'error', playError: ackMessage(r) });
      return;
    }
    const info = infoOf(r.data);
    memory.saveEpisode(p.participantId, info);
    adopt(info, r.data.events, r.data.streaming, r.data.status, r.data.completionCode);
  };

  return {
    episode: null,
    playPhase: 'idle',
    playError: null,
    playLog: emptyLog(),
    episodeStatus: 'running',
    idleWarning: null,

    startPlay: () => {
      starting ??= start().finally(() => {
        starting = null;
      });
      return starting;
    },

    resyncEpisode: async () => {
      const episode = get().episode;
      if (!episode) return get().startPlay();
      if (resyncing) return;
      resyncing = true;
      holds += 1;
      const r = await request('episode:resync', { episodeId: episode.episodeId, afterSeq: get().playLog.lastSeq });
      resyncing = false;
      if (get().episode?.episodeId !== episode.episodeId) return release();
      if (r.ok) {
        set({
          playLog: withServerStream(appendEvents(get().playLog, r.data.events), r.data.streaming),
          episodeStatus: r.data.status,
        });
        get().settlePlay(r.data.completionCode);
      } else if (r.error !== 'timeout' && r.error !== 'offline') {
        set({ playError: ackMessage(r) });
      }
      // Offline or too slow: the next connection resyncs again. Either way, what arrived meanwhile is applied now.
      release();
      get().flushOutbox();
    },

    settlePlay: (completionCode) => {
      const { playLog, episodeStatus } = get();
      const events = playLog.events;
      get().dropAckedReplies();
      const failed = events.find((e) => e.type === 'episode_failed');
      const rated = events.some((e) => e.type === 'actor_rated');
      if (rated || failed || (episodeStatus === 'failed' && !finalAnswerOf(events))) {
        return get().finishPlay(
          rated ? RATED : failureMessage(failed?.type === 'episode_failed' ? failed.code : undefined),
          completionCode,
        );
      }
      set({ playPhase: finalAnswerOf(events) ? 'answered' : 'playing' });
    },

    finishPlay: (message, completionCode) => {
      const participant = get().participant;
      if (participant) memory.saveEpisode(participant.participantId, null);
      set({ playPhase: 'done', idleWarning: null });
      get().setFinish({ role: 'actor', completionCode, message });
      navigate('/done', { replace: true });
    },

    // The play and rate pages start (or resume) the episode themselves once connected; the done page must not.
    playOnConnect: (reconnected) => {
      // After a drop: catch up exactly, then resend replies the server has not acknowledged.
      if (reconnected && get().episode && get().playPhase !== 'done') void get().resyncEpisode();
      // A start that failed for want of a connection is tried again when there is one.
      else if (reconnected && !get().episode && get().playPhase === 'error') void get().startPlay();
    },

    resetPlay: () => {
      set({
        episode: null,
        playLog: emptyLog(),
        playPhase: 'idle',
        playError: null,
        idleWarning: null,
        outbox: [],
        draft: '',
        pendingTags: {},
      });
    },

    nextTask: () => {
      const p = get().participant;
      if (p) memory.saveEpisode(p.participantId, null);
      set({ episode: null, playLog: emptyLog(), playPhase: 'idle', idleWarning: null, outbox: [], draft: '' });
      // The play page starts the next episode when it mounts.
      navigate('/play');
    },

    onEpisodeAppended: (episodeId, event) => {
      if (holds > 0) {
        held.push(() => get().onEpisodeAppended(episodeId, event));
        return;
      }
      if (get().episode?.episodeId !== episodeId) return;
      const outcome = applyEvent(get().playLog, event);
      if (outcome.gap) {
        void get().resyncEpisode();
        return;
      }
      if (!outcome.changed) return;
      set({ playLog: outcome.log });
      if (event.type === 'message' && event.role === 'user') set({ idleWarning: null });
      // Failures and ratings carry no completion code; the resync answer does. A rating this tab is sending is
      // settled by its own ack instead, which carries the code.
      if (event.type === 'actor_rated' && get().selfRatingBusy) return;
      if (event.type === 'episode_failed' || event.type === 'actor_rated') void get().resyncEpisode();
      else get().settlePlay(null);
    },

    onEpisodeChunked: (chunk) => {
      if (holds > 0) {
        held.push(() => get().onEpisodeChunked(chunk));
        return;
      }
      if (get().episode?.episodeId !== chunk.episodeId) return;
      const outcome = applyChunk(get().playLog, chunk);
      if (outcome.gap) void get().resyncEpisode();
      else if (outcome.log !== get().playLog) set({ playLog: outcome.log });
    },

    onEpisodeWarned: (episodeId, secondsLeft) => {
      if (get().episode?.episodeId === episodeId) set({ idleWarning: { secondsLeft, receivedAt: Date.now() } });
    },
  };
};
