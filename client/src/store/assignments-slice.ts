import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { AssignmentProgress, GoldItem } from '../../../shared/schemas/live-study.ts';
import { idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

const adminApi = () => import('../http/study-admin-api.ts');

/** Re-read while the tab is open, so claims and completions show up as people work. */
export const ASSIGNMENTS_POLL_MS = 5000;

/** Who has played and rated what in the open study (GET /api/studies/:id/assignments). */
export interface AssignmentsSlice {
  assignments: Loadable<AssignmentProgress>;
  loadAssignments: (options?: { background?: boolean }) => Promise<void>;
  pollAssignments: () => () => void;
  resetAssignments: () => void;
  /** Sends a run's answers to the raters; resolves to what was added, rejects with the server's message. */
  sendRunToRaters: (runId: string, modes: Mode[]) => Promise<{ added: number; unchanged: number }>;
  addGoldItem: (item: GoldItem) => Promise<void>;
}

export const createAssignmentsSlice: AppSlice<AssignmentsSlice> = (set, get) => {
  const load = loader(set, get, 'assignments', async (studyId, signal) =>
    (await adminApi()).fetchAssignments(studyId, signal),
  );
  return {
    assignments: idle(),
    loadAssignments: load,
    pollAssignments: () => {
      const timer = window.setInterval(() => void load({ background: true }), ASSIGNMENTS_POLL_MS);
      return () => window.clearInterval(timer);
    },
    resetAssignments: () => set({ assignments: idle() }),
    sendRunToRaters: async (runId, modes) => {
      const studyId = get().selectedStudyId;
      if (studyId === null) throw new Error('no study is open');
      const added = await (await adminApi()).addRunAnswers(studyId, runId, modes);
      void load({ background: true });
      return added;
    },
    addGoldItem: async (item) => {
      const studyId = get().selectedStudyId;
      if (studyId === null) throw new Error('no study is open');
      await (await adminApi()).addGoldItem(studyId, item);
      void load({ background: true });
    },
  };
};
