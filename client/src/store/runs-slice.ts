import type { RunInfo, StartRunBody } from '../../../shared/schemas/research.ts';
import { ApiError, errorMessage, isAbort } from '../http/request.ts';
import { dataFor, idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

const researchApi = () => import('../http/research-api.ts');

/** How often a running run's progress is read: the brief's "live" bar without flooding the server. */
export const RUN_POLL_MS = 1000;

/** Batch runs of the open study: starting one, its live progress, cancelling, and the list. */
export interface RunsSlice {
  runs: Loadable<RunInfo[]>;
  /** The run the progress panel shows; null shows the newest. */
  focusedRunId: string | null;
  runStarting: boolean;
  runStartError: { message: string; runId: string | null } | null;
  runCancelling: string | null;
  runCancelError: string | null;
  loadRuns: (options?: { background?: boolean }) => Promise<void>;
  startRun: (body: StartRunBody) => Promise<boolean>;
  cancelRun: (runId: string) => Promise<void>;
  focusRun: (runId: string | null) => void;
  /** Starts the once-a-second progress poll; returns the function that stops it (for an effect's cleanup). */
  watchRunProgress: () => () => void;
  resetRuns: () => void;
}

export const createRunsSlice: AppSlice<RunsSlice> = (set, get) => {
  const patch = (run: RunInfo): void => {
    const runs = get().runs;
    if (runs.studyId !== run.studyId || !runs.data) return;
    const known = runs.data.some((r) => r.id === run.id);
    set({ runs: { ...runs, data: known ? runs.data.map((r) => (r.id === run.id ? run : r)) : [run, ...runs.data] } });
  };

  // One tick at a time: a slow answer must not pile up requests behind it.
  let ticking = false;
  const tick = async (): Promise<void> => {
    const running = (dataFor(get().runs, get().selectedStudyId) ?? []).filter((r) => r.status === 'running');
    if (ticking || running.length === 0) return;
    ticking = true;
    try {
      const api = await researchApi();
      const fresh = await Promise.all(running.map((r) => api.fetchRun(r.id)));
      fresh.forEach(patch);
      // A run that ended may have written its final numbers elsewhere in the list (resumed-from links): re-read it.
      if (fresh.some((r) => r.status !== 'running')) await get().loadRuns({ background: true });
    } catch (err) {
      if (!isAbort(err) && !get().expireSessionOn(err)) set({ runs: { ...get().runs, error: errorMessage(err) } });
    } finally {
      ticking = false;
    }
  };

  return {
    runs: idle(),
    focusedRunId: null,
    runStarting: false,
    runStartError: null,
    runCancelling: null,
    runCancelError: null,

    loadRuns: loader(set, get, 'runs', async (studyId, signal) => (await researchApi()).fetchRuns(studyId, signal)),

    startRun: async (body) => {
      const studyId = get().selectedStudyId;
      if (studyId === null || get().runStarting) return false;
      set({ runStarting: true, runStartError: null });
      try {
        const started = await (await researchApi()).startRun(studyId, body);
        patch(started.run);
        set({ runStarting: false, focusedRunId: started.runId });
        return true;
      } catch (err) {
        if (get().expireSessionOn(err)) return false;
        // 409 run_in_progress names the run already doing this work: the page offers to show it.
        const body =
          err instanceof ApiError && err.body && typeof err.body === 'object' ? (err.body as { runId?: unknown }) : {};
        const runId = typeof body.runId === 'string' ? body.runId : null;
        set({ runStarting: false, runStartError: { message: errorMessage(err), runId } });
        return false;
      }
    },

    cancelRun: async (runId) => {
      if (get().runCancelling !== null) return;
      set({ runCancelling: runId, runCancelError: null });
      try {
        patch(await (await researchApi()).cancelRun(runId));
        set({ runCancelling: null });
      } catch (err) {
        if (get().expireSessionOn(err)) return;
        set({ runCancelling: null, runCancelError: errorMessage(err) });
        void get().loadRuns({ background: true });
      }
    },

    focusRun: (runId) => set({ focusedRunId: runId }),

    watchRunProgress: () => {
      const timer = window.setInterval(() => void tick(), RUN_POLL_MS);
      return () => window.clearInterval(timer);
    },

    resetRuns: () =>
      set({
        runs: idle(),
        focusedRunId: null,
        runStarting: false,
        runStartError: null,
        runCancelling: null,
        runCancelError: null,
      }),
  };
};
