import { errorMessage, isAbort } from '../http/request.ts';
import type { AppSlice } from './types.ts';

/** What the browser knows about the server itself (shown in the app bar). */
export interface ServerSlice {
  serverVersion: string | null;
  serverError: string | null;
  loadHealth: () => Promise<void>;
}

export const createServerSlice: AppSlice<ServerSlice> = (set) => ({
  serverVersion: null,
  serverError: null,
  loadHealth: async () => {
    try {
      const health = await (await import('../http/api.ts')).fetchHealth();
      set({ serverVersion: health.version, serverError: null });
    } catch (err) {
      if (!isAbort(err)) set({ serverVersion: null, serverError: errorMessage(err) });
    }
  },
});
