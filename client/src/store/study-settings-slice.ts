import type { LiveStudySettings, LiveStudySettingsBody } from '../../../shared/schemas/live-study.ts';
import type { ModelInfo } from '../http/research-schemas.ts';
import { ApiError, errorMessage, type ApiIssue } from '../http/request.ts';
import type { StudyTransition } from '../http/study-admin-api.ts';
import { idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

// Loaded on first use, so a participant's page never downloads the researcher's API code.
const adminApi = () => import('../http/study-admin-api.ts');
const researchApi = () => import('../http/research-api.ts');

export interface SaveFailure {
  message: string;
  /** Fields the server named, by JSON path (`$.models[0]`), for the form to show at each field. */
  issues: readonly ApiIssue[];
}

/** A study's live settings, its open/pause/close lifecycle, and the declared models the forms offer. */
export interface StudySettingsSlice {
  /** `settings` is null for a study never configured: the form starts from the defaults. */
  studySettings: Loadable<{ settings: LiveStudySettings | null }>;
  settingsSaving: boolean;
  settingsSaveError: SaveFailure | null;
  /** Bumped on each successful save, so the form can say "saved" and reset its draft. */
  settingsSavedCount: number;
  studyTransitioning: StudyTransition | null;
  transitionError: string | null;
  declaredModels: ModelInfo[] | null;
  declaredModelsError: string | null;
  loadStudySettings: () => Promise<void>;
  saveStudySettings: (body: LiveStudySettingsBody) => Promise<boolean>;
  transitionStudy: (action: StudyTransition) => Promise<void>;
  loadDeclaredModels: () => Promise<void>;
  dismissSettingsMessages: () => void;
  resetStudySettings: () => void;
}

export const createStudySettingsSlice: AppSlice<StudySettingsSlice> = (set, get) => {
  const failure = (err: unknown): SaveFailure => ({
    message: errorMessage(err),
    issues: err instanceof ApiError ? err.issues : [],
  });
  const stored = (settings: LiveStudySettings): void => {
    const studyId = get().selectedStudyId;
    if (studyId !== null) set({ studySettings: { studyId, data: { settings }, loading: false, error: null } });
  };

  return {
    studySettings: idle(),
    settingsSaving: false,
    settingsSaveError: null,
    settingsSavedCount: 0,
    studyTransitioning: null,
    transitionError: null,
    declaredModels: null,
    declaredModelsError: null,

    loadStudySettings: loader(set, get, 'studySettings', async (studyId, signal) => ({
      settings: await (await adminApi()).fetchSettings(studyId, signal),
    })),

    saveStudySettings: async (body) => {
      const studyId = get().selectedStudyId;
      if (studyId === null || get().settingsSaving) return false;
      set({ settingsSaving: true, settingsSaveError: null, transitionError: null });
      try {
        const settings = await (await adminApi()).saveSettings(studyId, body);
        if (get().selectedStudyId === studyId) stored(settings);
        set((s) => ({ settingsSaving: false, settingsSavedCount: s.settingsSavedCount + 1 }));
        return true;
      } catch (err) {
        if (get().expireSessionOn(err)) return false;
        set({ settingsSaving: false, settingsSaveError: failure(err) });
        return false;
      }
    },

    transitionStudy: async (action) => {
      const studyId = get().selectedStudyId;
      if (studyId === null || get().studyTransitioning) return;
      set({ studyTransitioning: action, transitionError: null });
      try {
        const settings = await (await adminApi()).transitionStudy(studyId, action);
        if (get().selectedStudyId === studyId) stored(settings);
        set({ studyTransitioning: null });
        // Opening creates play units: the progress tab's numbers change with it.
        if (action === 'open') void get().loadAssignments({ background: true });
      } catch (err) {
        if (get().expireSessionOn(err)) return;
        set({ studyTransitioning: null, transitionError: errorMessage(err) });
      }
    },

    loadDeclaredModels: async () => {
      try {
        set({ declaredModels: await (await researchApi()).fetchModels(), declaredModelsError: null });
      } catch (err) {
        if (get().expireSessionOn(err)) return;
        // The forms still work without the list: names are typed and the server checks them.
        set({ declaredModelsError: errorMessage(err) });
      }
    },

    dismissSettingsMessages: () => set({ settingsSaveError: null, transitionError: null }),

    resetStudySettings: () =>
      set({
        studySettings: idle(),
        settingsSaving: false,
        settingsSaveError: null,
        studyTransitioning: null,
        transitionError: null,
      }),
  };
};
