import type { AssignmentProgress } from '../../../shared/schemas/live-study.ts';
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
}

export const createAssignmentsSlice: AppSlice<AssignmentsSlice> = (set, get) => {
  const load = loader(set, get, 'assignments', async (studyId, signal) => (await adminApi()).fetchAssignments(studyId, signal));
  return {
    assignments: idle(),
    loadAssignments: load,
    pollAssignments: () => {
      const timer = window.setInterval(() => void load({ background: true }), ASSIGNMENTS_POLL_MS);
      return () => window.clearInterval(timer);
    },
    resetAssignments: () => set({ assignments: idle() }),
  };
};
