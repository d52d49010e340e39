import { memory } from './session-memory.ts';
import type { AppSlice } from './types.ts';

/**
 * A rating being filled in: the scores given so far, correctness, the comment and the criterion on screen (the phone's
 * one-criterion-at-a-time stepper). Kept in the store, keyed by the item or episode rated, so switching layout,
 * opening the answer or changing the last rating and coming back loses nothing; and in the browser's storage
 * (session-memory.ts), so a reload or coming back to the link loses nothing either.
 */
export interface RatingDraft {
  scores: Record<string, number>;
  correct: 0 | 1 | null;
  justification: string;
  /** The criterion shown on a phone (index into the rubric). */
  step: number;
  /** Submitting was tried: the criteria still missing are marked. */
  tried: boolean;
}

export interface RatingDraftSlice {
  ratingDrafts: Record<string, RatingDraft>;
  /** The draft under `key`: this tab's, else the one the browser kept for the participant, else none. */
  ratingDraftOf: (key: string) => RatingDraft | undefined;
  /** Changes part of the draft under `key`, starting from `start` when there is none yet. */
  updateRatingDraft: (key: string, start: RatingDraft, change: Partial<RatingDraft>) => void;
}

/**
 * Drafts kept per participant in the browser: the latest ones only. A rated item never comes back (only the last
 * rating can be changed), so older drafts are finished work; the cap keeps a long rating session's storage small.
 */
const KEPT_DRAFTS = 10;

export const createRatingDraftSlice: AppSlice<RatingDraftSlice> = (set, get) => {
  const owner = (): string | null => get().participant?.participantId ?? null;
  const kept = (): Record<string, RatingDraft> => {
    const id = owner();
    return id === null ? {} : memory.ratingDrafts<RatingDraft>(id);
  };
  return {
    ratingDrafts: {},
    ratingDraftOf: (key) => get().ratingDrafts[key] ?? kept()[key],
    updateRatingDraft: (key, start, change) => {
      const draft = { ...(get().ratingDraftOf(key) ?? start), ...change };
      set((s) => ({ ratingDrafts: { ...s.ratingDrafts, [key]: draft } }));
      const id = owner();
      if (id === null) return;
      // The one just changed goes last, so the oldest are the ones dropped.
      const { [key]: _previous, ...others } = kept();
      const latest = Object.entries({ ...others, [key]: draft }).slice(-KEPT_DRAFTS);
      memory.saveRatingDrafts(id, Object.fromEntries(latest));
    },
  };
};
