import type { AgreementReport } from '../../../shared/schemas/agreement.ts';
import type { StudyResults } from '../http/research-schemas.ts';
import { idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

const researchApi = () => import('../http/research-api.ts');

/** The study's PrefDisco metrics and its agreement report. */
export interface ResultsSlice {
  results: Loadable<StudyResults>;
  agreement: Loadable<AgreementReport>;
  loadResults: () => Promise<void>;
  loadAgreement: () => Promise<void>;
  resetResults: () => void;
}

export const createResultsSlice: AppSlice<ResultsSlice> = (set, get) => ({
  results: idle(),
  agreement: idle(),
  loadResults: loader(set, get, 'results', async (studyId, signal) =>
    (await researchApi()).fetchResults(studyId, signal),
  ),
  loadAgreement: loader(set, get, 'agreement', async (studyId, signal) =>
    (await researchApi()).fetchAgreement(studyId, signal),
  ),
  resetResults: () => set({ results: idle(), agreement: idle() }),
});
