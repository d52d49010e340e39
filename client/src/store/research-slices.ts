import { createAssignmentsSlice, type AssignmentsSlice } from './assignments-slice.ts';
import { createEpisodeViewerSlice, type EpisodeViewerSlice } from './episode-viewer-slice.ts';
import { createImportSlice, type ImportSlice } from './import-slice.ts';
import { createInvitesSlice, type InvitesSlice } from './invites-slice.ts';
import { createLiveMonitorSlice, type LiveMonitorSlice } from './live-monitor-slice.ts';
import { createResultsSlice, type ResultsSlice } from './results-slice.ts';
import { createRunsSlice, type RunsSlice } from './runs-slice.ts';
import { createStudySettingsSlice, type StudySettingsSlice } from './study-settings-slice.ts';
import type { AppSlice } from './types.ts';

/**
 * The researcher console's slices beyond studies and auth, registered in the store with one line. Their HTTP code is
 * imported on first use, so a participant's page carries only these small state containers.
 */
export type ResearchSlices = StudySettingsSlice &
  InvitesSlice &
  RunsSlice &
  LiveMonitorSlice &
  AssignmentsSlice &
  ResultsSlice &
  ImportSlice &
  EpisodeViewerSlice & {
    /** Forget every study's fetched data (sign-out). */
    resetResearch: () => void;
    /** Another study opened: drop the last one's messages, watched transcript and focused run. */
    leaveStudy: () => void;
  };

export const createResearchSlices: AppSlice<ResearchSlices> = (...args) => {
  const [, get] = args;
  return {
    ...createStudySettingsSlice(...args),
    ...createInvitesSlice(...args),
    ...createRunsSlice(...args),
    ...createLiveMonitorSlice(...args),
    ...createAssignmentsSlice(...args),
    ...createResultsSlice(...args),
    ...createImportSlice(...args),
    ...createEpisodeViewerSlice(...args),
    resetResearch: () => {
      const s = get();
      s.resetStudySettings();
      s.resetInvites();
      s.resetRuns();
      s.resetLiveMonitor();
      s.resetAssignments();
      s.resetResults();
      s.clearImport();
      args[0]({ viewedEpisode: null, runEpisodes: null });
    },
    leaveStudy: () => {
      const [set] = args;
      set({
        settingsSaveError: null,
        transitionError: null,
        inviteError: null,
        runStartError: null,
        runCancelError: null,
        focusedRunId: null,
        watched: null,
        liveStatusFilter: null,
        viewedEpisode: null,
        runEpisodes: null,
      });
    },
  };
};
