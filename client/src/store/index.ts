import { create } from 'zustand';
import { createServerSlice } from './server-slice.ts';
import { createStudiesSlice } from './studies-slice.ts';
import type { AppState } from './types.ts';

export type { AppState } from './types.ts';
export { DEFAULT_PAGE_SIZE, PAGE_SIZES, type RecordsPage } from './studies-slice.ts';

/** The one client store. Components read it with selectors and change it only through its actions. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createServerSlice(...args),
  ...createStudiesSlice(...args),
}));
