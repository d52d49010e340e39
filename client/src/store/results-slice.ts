import type { StudyResults } from '../http/research-schemas.ts';
import { idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

const researchApi = () => import('../http/research-api.ts');

/** The study's PrefDisco metrics, and the agreement report while its dashboard is still to come. */
export interface ResultsSlice {
  results: Loadable<StudyResults>;
  /** `report` is null when this server has no agreement route. */
  agreement: Loadable<{ report: Record<string, unknown> | null }>;
  loadResults: () => Promise<void>;
  loadAgreement: () => Promise<void>;
  resetResults: () => void;
}

export const createResultsSlice: AppSlice<ResultsSlice> = (set, get) => ({
  results: idle(),
  agreement: idle(),
  loadResults: loader(set, get, 'results', async (studyId, signal) => (await researchApi()).fetchResults(studyId, signal)),
  loadAgreement: loader(set, get, 'agreement', async (studyId, signal) => ({
    report: await (await researchApi()).fetchAgreement(studyId, signal),
  })),
  resetResults: () => set({ results: idle(), agreement: idle() }),
});
