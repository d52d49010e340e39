import type { EpisodeSummary } from '../http/research-schemas.ts';
import type { StoredEpisode } from '../http/research-api.ts';
import type { AppSlice } from './types.ts';

const researchApi = () => import('../http/research-api.ts');

/** Episodes in the run panel's list, a page at a time. */
export const RUN_EPISODES_PAGE = 25;

interface Fetched<T> {
  key: string;
  data: T | null;
  loading: boolean;
  error: string | null;
}

/**
 * Reading stored episodes: the transcript dialog (any episode — batch, live or twin — opened from a run, an answer in
 * the rating queue or the live list) and the focused run's episode list.
 */
export interface EpisodeViewerSlice {
  viewedEpisode: Fetched<StoredEpisode> | null;
  runEpisodes: Fetched<{ total: number; offset: number; episodes: EpisodeSummary[] }> | null;
  viewEpisode: (episodeId: string) => Promise<void>;
  closeEpisode: () => void;
  loadRunEpisodes: (runId: string, offset: number) => Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const createEpisodeViewerSlice: AppSlice<EpisodeViewerSlice> = (set, get) => ({
  viewedEpisode: null,
  runEpisodes: null,
  viewEpisode: async (episodeId) => {
    set({ viewedEpisode: { key: episodeId, data: null, loading: true, error: null } });
    try {
      const data = await (await researchApi()).fetchEpisode(episodeId);
      // A dialog closed (or another episode opened) meanwhile keeps its own state.
      if (get().viewedEpisode?.key === episodeId)
        set({ viewedEpisode: { key: episodeId, data, loading: false, error: null } });
    } catch (err) {
      if (get().viewedEpisode?.key === episodeId)
        set({ viewedEpisode: { key: episodeId, data: null, loading: false, error: message(err) } });
    }
  },
  closeEpisode: () => set({ viewedEpisode: null }),
  loadRunEpisodes: async (runId, offset) => {
    const before = get().runEpisodes;
    const key = `${runId}@${offset}`;
    set({
      runEpisodes: { key, data: before?.key.startsWith(`${runId}@`) ? before.data : null, loading: true, error: null },
    });
    try {
      const page = await (await researchApi()).fetchRunEpisodes(runId, offset, RUN_EPISODES_PAGE);
      if (get().runEpisodes?.key === key)
        set({ runEpisodes: { key, data: { ...page, offset }, loading: false, error: null } });
    } catch (err) {
      if (get().runEpisodes?.key === key)
        set({ runEpisodes: { key, data: null, loading: false, error: message(err) } });
    }
  },
});
