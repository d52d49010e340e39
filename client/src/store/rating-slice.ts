import type { BlindRatingItem } from '../../../shared/schemas/live-study.ts';
import { navigate } from '../app/router.ts';
import { ackMessage, request } from '../realtime/socket.ts';
import type { AppSlice } from './types.ts';

export interface RatingInput {
  scores: Record<string, number>;
  correct: 0 | 1;
  justification?: string;
}

/** A rater's queue: the blinded item in hand, progress, and submitting scores. */
export interface RatingSlice {
  ratingStatus: 'idle' | 'loading' | 'ready' | 'submitting' | 'error';
  ratingItem: BlindRatingItem | null;
  /** When the item was shown (ms since epoch): seconds spent are counted from here to submit. */
  ratingShownAt: number | null;
  ratingProgress: { rated: number; quota: number } | null;
  ratingError: string | null;
  nextRating: () => Promise<void>;
  submitRating: (input: RatingInput) => Promise<void>;
  ratingOnConnect: () => void;
  resetRating: () => void;
}

export const createRatingSlice: AppSlice<RatingSlice> = (set, get) => {
  let loading: Promise<void> | null = null;

  const load = async (): Promise<void> => {
    set({ ratingStatus: 'loading', ratingError: null });
    const r = await request('rating:next', {});
    if (r.ok) {
      // The same item again (asked twice, or after a reconnect) keeps its clock running.
      const same = get().ratingItem?.itemId === r.data.itemId;
      set({ ratingStatus: 'ready', ratingItem: r.data, ratingShownAt: same ? get().ratingShownAt : Date.now() });
      return;
    }
    if (r.error === 'no_work') {
      const progress = get().ratingProgress;
      const quotaReached = progress !== null && progress.rated >= progress.quota;
      set({ ratingStatus: 'idle', ratingItem: null, ratingShownAt: null });
      get().setFinish({
        role: 'rater',
        completionCode: get().finish?.completionCode ?? null,
        message: quotaReached
          ? 'You have rated every answer this study asks of you. Thank you!'
          : 'There is nothing left for you to rate right now. More answers may come in later: check again in a while.',
      });
      navigate('/done', { replace: true });
      return;
    }
    set({ ratingStatus: 'error', ratingError: ackMessage(r) });
  };

  return {
    ratingStatus: 'idle',
    ratingItem: null,
    ratingShownAt: null,
    ratingProgress: null,
    ratingError: null,

    nextRating: () => {
      loading ??= load().finally(() => {
        loading = null;
      });
      return loading;
    },

    submitRating: async (input) => {
      const item = get().ratingItem;
      if (!item || get().ratingStatus === 'submitting') return;
      set({ ratingStatus: 'submitting', ratingError: null });
      const secondsSpent = Math.min(
        7 * 24 * 3600,
        Math.max(0, (Date.now() - (get().ratingShownAt ?? Date.now())) / 1000),
      );
      const r = await request('rating:submit', {
        itemId: item.itemId,
        ...input,
        secondsSpent: Math.round(secondsSpent * 10) / 10,
      });
      if (!r.ok) {
        set({ ratingStatus: 'ready', ratingError: ackMessage(r) });
        return;
      }
      set({ ratingProgress: { rated: r.data.rated, quota: r.data.quota }, ratingItem: null, ratingShownAt: null });
      if (r.data.completionCode !== null) {
        get().setFinish({
          role: 'rater',
          completionCode: r.data.completionCode,
          message: 'You have rated every answer this study asks of you. Thank you!',
        });
      }
      await get().nextRating();
    },

    resetRating: () =>
      set({ ratingStatus: 'idle', ratingItem: null, ratingShownAt: null, ratingProgress: null, ratingError: null }),

    ratingOnConnect: () => {
      // After a reconnect, ask again for the item in hand (the server returns the same lease). A first load is the
      // rater page's to start: the done page must not ask the queue.
      if (get().ratingItem && get().ratingStatus !== 'submitting') void get().nextRating();
    },
  };
};
