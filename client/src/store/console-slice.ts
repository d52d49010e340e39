import type { EpisodeStatus } from '../../../shared/schemas/episode.ts';
import type { AppSlice } from './types.ts';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** What the researcher has chosen inside the open study; another study starts from `initialStudyView`. */
export interface StudyView {
  recordsPage: { offset: number; limit: number };
  /** The record open in the detail drawer. */
  openProblemId: string | null;
  /** The run the progress panel shows; null shows the newest. */
  focusedRunId: string | null;
  liveStatusFilter: EpisodeStatus | null;
  /** The live episode whose transcript follows the socket. */
  watchedEpisodeId: string | null;
}

/**
 * The researcher console's client state: which study is open and what is chosen in it. What the server says about
 * them is in the console's query cache (client/src/query), keyed by study.
 */
export interface ConsoleSlice {
  selectedStudyId: string | null;
  studyView: StudyView;
  /** The stored episode in the transcript dialog, opened from a run or an answer in the rating queue. */
  viewedEpisodeId: string | null;
  selectStudy: (studyId: string | null) => void;
  setRecordsPage: (page: { offset: number; limit: number }) => void;
  openRecord: (problemId: string | null) => void;
  focusRun: (runId: string | null) => void;
  setLiveStatusFilter: (status: EpisodeStatus | null) => void;
  watchEpisode: (episodeId: string | null) => void;
  viewEpisode: (episodeId: string | null) => void;
  /** Sign-out: nothing stays chosen. */
  resetStudies: () => void;
}

const initialStudyView = (limit = DEFAULT_PAGE_SIZE): StudyView => ({
  recordsPage: { offset: 0, limit },
  openProblemId: null,
  focusedRunId: null,
  liveStatusFilter: null,
  watchedEpisodeId: null,
});

export const createConsoleSlice: AppSlice<ConsoleSlice> = (set, get) => {
  const view = (patch: Partial<StudyView>): void => set((s) => ({ studyView: { ...s.studyView, ...patch } }));
  return {
    selectedStudyId: null,
    studyView: initialStudyView(),
    viewedEpisodeId: null,
    selectStudy: (studyId) => {
      // Called on every visit of a study's address: the same study keeps what is chosen in it.
      if (studyId === get().selectedStudyId) return;
      // The page size is the researcher's preference, not the study's.
      set((s) => ({
        selectedStudyId: studyId,
        studyView: initialStudyView(s.studyView.recordsPage.limit),
        viewedEpisodeId: null,
      }));
    },
    setRecordsPage: (recordsPage) => view({ recordsPage }),
    openRecord: (openProblemId) => view({ openProblemId }),
    focusRun: (focusedRunId) => view({ focusedRunId }),
    setLiveStatusFilter: (liveStatusFilter) => view({ liveStatusFilter }),
    watchEpisode: (watchedEpisodeId) => view({ watchedEpisodeId }),
    viewEpisode: (viewedEpisodeId) => set({ viewedEpisodeId }),
    resetStudies: () => set({ selectedStudyId: null, studyView: initialStudyView(), viewedEpisodeId: null }),
  };
};
