import { errorMessage } from '../http/request.ts';
import type { ImportResult } from '../http/study-admin-api.ts';
import type { AppSlice } from './types.ts';

const adminApi = () => import('../http/study-admin-api.ts');

/** Creating or extending a study by uploading a benchmark file. */
export interface ImportSlice {
  importing: boolean;
  /** What the server said about the last file: imported, or refused with its issues by line. */
  importResult: ImportResult | null;
  /** A failure that is not about the file's content (network, too large, conflict with stored records). */
  importError: string | null;
  importBenchmark: (file: File, studyName: string, skipImages: boolean) => Promise<ImportResult | null>;
  clearImport: () => void;
}

export const createImportSlice: AppSlice<ImportSlice> = (set, get) => ({
  importing: false,
  importResult: null,
  importError: null,

  importBenchmark: async (file, studyName, skipImages) => {
    if (get().importing) return null;
    set({ importing: true, importResult: null, importError: null });
    try {
      const result = await (await adminApi()).importBenchmark(file, studyName, skipImages);
      set({ importing: false, importResult: result });
      // The new or grown study shows in the list at once.
      if (result.kind === 'imported') void get().loadStudies();
      return result;
    } catch (err) {
      if (get().expireSessionOn(err)) return null;
      set({ importing: false, importError: errorMessage(err) });
      return null;
    }
  },

  clearImport: () => set({ importing: false, importResult: null, importError: null }),
});
