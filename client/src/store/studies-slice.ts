import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { RecordSummary, StudySummary } from '../../../shared/schemas/study.ts';
import { errorMessage, isAbort } from '../http/request.ts';
import type { AppSlice } from './types.ts';

// Loaded on first use: the benchmark schemas it parses with are the researcher's, not a participant's, download.
const api = () => import('../http/api.ts');

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

export interface RecordsPage {
  offset: number;
  limit: number;
  total: number;
  items: RecordSummary[];
}

/** The research "Studies" screen: which study and record are open, and what has been fetched for them. */
export interface StudiesSlice {
  studies: StudySummary[];
  /** False until the first answer, so the view can tell "not loaded yet" from "no studies". */
  studiesLoaded: boolean;
  studiesLoading: boolean;
  studiesError: string | null;
  selectedStudyId: string | null;
  records: RecordsPage;
  recordsLoading: boolean;
  recordsError: string | null;
  selectedProblemId: string | null;
  selectedRecord: BenchmarkRecord | null;
  recordLoading: boolean;
  recordError: string | null;
  loadStudies: () => Promise<void>;
  selectStudy: (studyId: string | null) => void;
  loadRecords: (page: { offset: number; limit: number }) => Promise<void>;
  openRecord: (problemId: string) => Promise<void>;
  closeRecord: () => void;
  /** Forget everything fetched (on sign-out), cancelling what is still in flight. */
  resetStudies: () => void;
}

const emptyPage = (limit: number): RecordsPage => ({ offset: 0, limit, total: 0, items: [] });

type StudiesData = Omit<
  StudiesSlice,
  'loadStudies' | 'selectStudy' | 'loadRecords' | 'openRecord' | 'closeRecord' | 'resetStudies'
>;

const initialData = (): StudiesData => ({
  studies: [],
  studiesLoaded: false,
  studiesLoading: false,
  studiesError: null,
  selectedStudyId: null,
  records: emptyPage(DEFAULT_PAGE_SIZE),
  recordsLoading: false,
  recordsError: null,
  selectedProblemId: null,
  selectedRecord: null,
  recordLoading: false,
  recordError: null,
});

export const createStudiesSlice: AppSlice<StudiesSlice> = (set, get) => {
  // Paging or clicking quickly starts overlapping requests; aborting the older one keeps a slow stale answer
  // from overwriting the newer one.
  let recordsRequest: AbortController | null = null;
  let recordRequest: AbortController | null = null;
  // Bumped by resetStudies, so a studies answer that arrives after sign-out is dropped.
  let generation = 0;

  return {
    ...initialData(),

    loadStudies: async () => {
      const started = generation;
      set({ studiesLoading: true, studiesError: null });
      try {
        const studies = await (await api()).fetchStudies();
        if (started !== generation) return;
        set({ studies, studiesLoaded: true, studiesLoading: false });
        // The open study comes from the address (the console's router); a refresh re-reads its records page too.
        const current = get().selectedStudyId;
        if (current !== null && studies.some((x) => x.id === current)) void get().loadRecords(get().records);
      } catch (err) {
        if (started !== generation || get().expireSessionOn(err)) return;
        set({ studiesLoading: false, studiesError: errorMessage(err) });
      }
    },

    selectStudy: (studyId) => {
      // Called on every visit of a study's address: the same study keeps what it has loaded.
      if (studyId === get().selectedStudyId) return;
      get().closeRecord();
      get().leaveStudy();
      recordsRequest?.abort();
      set({
        selectedStudyId: studyId,
        records: emptyPage(get().records.limit),
        recordsError: null,
        recordsLoading: false,
      });
      if (studyId !== null) void get().loadRecords({ offset: 0, limit: get().records.limit });
    },

    loadRecords: async ({ offset, limit }) => {
      const studyId = get().selectedStudyId;
      if (studyId === null) return;
      recordsRequest?.abort();
      const request = new AbortController();
      recordsRequest = request;
      set((s) => ({ recordsLoading: true, recordsError: null, records: { ...s.records, offset, limit } }));
      try {
        const page = await (await api()).fetchRecordPage(studyId, { offset, limit }, request.signal);
        // The study shrank since this page was chosen (re-import): fall back to its last page.
        if (page.items.length === 0 && offset > 0 && page.total > 0) {
          return get().loadRecords({ offset: Math.floor((page.total - 1) / limit) * limit, limit });
        }
        set({ records: { offset, limit, total: page.total, items: page.items }, recordsLoading: false });
      } catch (err) {
        if (isAbort(err) || get().expireSessionOn(err)) return;
        set({ recordsLoading: false, recordsError: errorMessage(err) });
      }
    },

    openRecord: async (problemId) => {
      const studyId = get().selectedStudyId;
      if (studyId === null) return;
      recordRequest?.abort();
      const request = new AbortController();
      recordRequest = request;
      set({ selectedProblemId: problemId, selectedRecord: null, recordLoading: true, recordError: null });
      try {
        const record = await (await api()).fetchRecord(studyId, problemId, request.signal);
        set({ selectedRecord: record, recordLoading: false });
      } catch (err) {
        if (isAbort(err) || get().expireSessionOn(err)) return;
        set({ recordLoading: false, recordError: errorMessage(err) });
      }
    },

    closeRecord: () => {
      recordRequest?.abort();
      recordRequest = null;
      set({ selectedProblemId: null, selectedRecord: null, recordLoading: false, recordError: null });
    },

    resetStudies: () => {
      generation += 1;
      recordsRequest?.abort();
      recordsRequest = null;
      recordRequest?.abort();
      recordRequest = null;
      set(initialData());
      get().resetResearch();
    },
  };
};
