import { create } from 'zustand';
import { createAuthSlice } from './auth-slice.ts';
import { createConnectionSlice } from './connection-slice.ts';
import { createConsoleSlice } from './console-slice.ts';
import { createParticipantSlice } from './participant-slice.ts';
import { createPlayReplySlice } from './play-reply-slice.ts';
import { createPlaySlice } from './play-slice.ts';
import { createRatingDraftSlice } from './rating-draft-slice.ts';
import { createRatingSlice } from './rating-slice.ts';
import type { AppState } from './types.ts';

export type { AppState } from './types.ts';
export type { AuthStatus, ResearcherIdentity } from './auth-slice.ts';
export { DEFAULT_PAGE_SIZE, PAGE_SIZES, type StudyView } from './console-slice.ts';

/** The one client store. Components read it with selectors and change it only through its actions. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createAuthSlice(...args),
  // The researcher console's client state; its server data is in the console's query cache.
  ...createConsoleSlice(...args),
  // Participants: joining, their socket, live play (and what the actor sends), rating.
  ...createParticipantSlice(...args),
  ...createConnectionSlice(...args),
  ...createPlaySlice(...args),
  ...createPlayReplySlice(...args),
  ...createRatingSlice(...args),
  ...createRatingDraftSlice(...args),
}));
