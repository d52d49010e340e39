import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeStatus, LiveEpisode, LiveHealth } from '../http/research-schemas.ts';
import { request, ackMessage } from '../realtime/socket.ts';
import { idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

const researchApi = () => import('../http/research-api.ts');

/** The live episodes list is re-read this often while the tab is open: new sessions appear without a click. */
export const LIVE_POLL_MS = 3000;

/** A live transcript being watched: the full log from `episode:watch`, then each `episode:logged` event. */
export interface WatchedEpisode {
  episodeId: string;
  /** By seq, each once. */
  events: EpisodeEvent[];
  status: 'waiting' | 'watching' | 'failed';
  error: string | null;
}

export interface LiveMonitorSlice {
  liveEpisodes: Loadable<LiveEpisode[]>;
  /** What is going wrong: failed episodes by reason, models' failed attempts (polled with the list). */
  liveHealth: Loadable<LiveHealth>;
  liveStatusFilter: EpisodeStatus | null;
  watched: WatchedEpisode | null;
  loadLiveEpisodes: (options?: { background?: boolean }) => Promise<void>;
  setLiveStatusFilter: (status: EpisodeStatus | null) => void;
  /** Starts re-reading the list every few seconds; returns the stop function (for an effect's cleanup). */
  pollLiveEpisodes: () => () => void;
  /** Shows an episode's transcript and brings the socket up; `syncWatched` then reads it. */
  watchEpisode: (episodeId: string) => void;
  /** Joins the watched episode's updates and reads its log (again after a reconnect), once the socket is up. */
  syncWatched: () => Promise<void>;
  stopWatching: () => void;
  /** Socket binding: a stored event of an episode a researcher watches. */
  onEpisodeLogged: (episodeId: string, event: EpisodeEvent) => void;
  resetLiveMonitor: () => void;
}

/** Events by seq, each once: the watch answer and broadcasts overlap (join first, then read), by design. */
export function mergeEvents(current: readonly EpisodeEvent[], incoming: readonly EpisodeEvent[]): EpisodeEvent[] {
  const bySeq = new Map<number, EpisodeEvent>();
  for (const e of current) bySeq.set(e.seq, e);
  for (const e of incoming) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export const createLiveMonitorSlice: AppSlice<LiveMonitorSlice> = (set, get) => {
  const load = loader(set, get, 'liveEpisodes', async (studyId, signal) =>
    (await researchApi()).fetchLiveEpisodes(studyId, get().liveStatusFilter, signal),
  );
  const loadHealth = loader(set, get, 'liveHealth', async (studyId, signal) =>
    (await researchApi()).fetchLiveHealth(studyId, signal),
  );
  const updateWatched = (episodeId: string, change: (w: WatchedEpisode) => WatchedEpisode): void => {
    const w = get().watched;
    if (w?.episodeId === episodeId) set({ watched: change(w) });
  };

  return {
    liveEpisodes: idle(),
    liveHealth: idle(),
    liveStatusFilter: null,
    watched: null,
    loadLiveEpisodes: async (options) => {
      await Promise.all([load(options), loadHealth(options)]);
    },

    setLiveStatusFilter: (status) => {
      set({ liveStatusFilter: status });
      void load();
    },

    pollLiveEpisodes: () => {
      const timer = window.setInterval(() => {
        void load({ background: true });
        void loadHealth({ background: true });
      }, LIVE_POLL_MS);
      return () => window.clearInterval(timer);
    },

    watchEpisode: (episodeId) => {
      if (get().watched?.episodeId === episodeId) return;
      set({ watched: { episodeId, events: [], status: 'waiting', error: null } });
      get().connectRealtime();
    },

    syncWatched: async () => {
      const episodeId = get().watched?.episodeId;
      // Not connected yet: the transcript view calls again when the connection comes up.
      if (episodeId === undefined || get().connection !== 'connected') return;
      const result = await request('episode:watch', { episodeId });
      if (result.ok) {
        updateWatched(episodeId, (w) => ({ ...w, events: mergeEvents(w.events, result.data), status: 'watching' }));
      } else {
        // The participant wording of ackMessage ("open your invitation link") does not fit a researcher.
        const error =
          result.error === 'unauthenticated' ? 'Your session has ended. Sign in again to watch.' : ackMessage(result);
        updateWatched(episodeId, (w) => ({ ...w, status: 'failed', error }));
      }
    },

    stopWatching: () => set({ watched: null }),

    onEpisodeLogged: (episodeId, event) => {
      updateWatched(episodeId, (w) => ({ ...w, events: mergeEvents(w.events, [event]) }));
      // An ended episode changes its row (status, score): show it without waiting for the next poll.
      if (event.type === 'episode_completed' || event.type === 'episode_failed') void load({ background: true });
    },

    resetLiveMonitor: () => set({ liveEpisodes: idle(), liveHealth: idle(), liveStatusFilter: null, watched: null }),
  };
};
