import { useCallback, useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import type { RatingDraft } from '../../store/rating-draft-slice.ts';

/** A change to a draft, computed from the draft as it is at that moment (two quick key presses both count). */
export type DraftChange = (draft: RatingDraft) => Partial<RatingDraft>;

/**
 * The rating form's values: in the store under `key` (so they outlive the form: a layout switch, changing the last
 * rating and coming back, a reload), or in the form itself when there is no key. `start` is used until the first change.
 */
export function useRatingDraft(
  key: string | undefined,
  start: RatingDraft,
): [RatingDraft, (change: DraftChange) => void] {
  // The first `start` counts: the form passes a new object each render.
  const [initial] = useState(start);
  const [local, setLocal] = useState(start);
  // This tab's draft, or the one the browser kept (a reload): read once per key, then the store has it.
  const [restored] = useState(() => (key === undefined ? undefined : useAppStore.getState().ratingDraftOf(key)));
  const stored = useAppStore((s) => (key === undefined ? undefined : (s.ratingDrafts[key] ?? restored)));
  const updateStored = useAppStore((s) => s.updateRatingDraft);
  const update = useCallback(
    (change: DraftChange) => {
      if (key === undefined) return setLocal((d) => ({ ...d, ...change(d) }));
      const current = useAppStore.getState().ratingDraftOf(key) ?? initial;
      updateStored(key, initial, change(current));
    },
    [key, updateStored, initial],
  );
  return [key === undefined ? local : (stored ?? initial), update];
}
