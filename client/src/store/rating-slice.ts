import type {
  BlindRatingItem,
  CantJudgeReason,
  RaterCounts,
  RatingFlagKind,
  RatingSubmitted,
} from '../../../shared/schemas/live-study.ts';
import { navigate } from '../app/router.ts';
import { ackMessage, request } from '../realtime/socket.ts';
import type { AppSlice } from './types.ts';
import { t } from '../i18n/index.ts';

export interface RatingInput {
  scores: Record<string, number>;
  correct: 0 | 1;
  justification?: string;
}

/** What the rater decided about an item: scores, or that they cannot judge it (with the reason). */
export type RatingVerdict =
  { kind: 'scores'; input: RatingInput } | { kind: 'cant_judge'; reason: CantJudgeReason; note: string };

/** The rater's most recent judgment, kept while the page is open so it can be changed (rating:revise). */
export interface LastJudgment {
  item: BlindRatingItem;
  verdict: RatingVerdict;
}

/** A rater's queue: the blinded item in hand, progress, and submitting scores. */
export interface RatingSlice {
  ratingStatus: 'idle' | 'loading' | 'ready' | 'submitting' | 'error';
  ratingItem: BlindRatingItem | null;
  /** When the item was shown (ms since epoch): seconds spent are counted from here to submit. */
  ratingShownAt: number | null;
  ratingProgress: { rated: number; quota: number } | null;
  /** The rater's counters from the server (rating:progress and every judgment's ack): what the progress line says. */
  ratingCounts: RaterCounts | null;
  ratingLast: LastJudgment | null;
  /** The rater is changing their last judgment (the page shows that item instead of the one in hand). */
  ratingEditing: boolean;
  ratingError: string | null;
  nextRating: () => Promise<void>;
  submitRating: (input: RatingInput) => Promise<void>;
  /** "Can't judge" the item in hand. */
  skipRating: (reason: CantJudgeReason, note: string) => Promise<void>;
  editLastRating: (editing: boolean) => void;
  /** New values for the last judgment; on success the page returns to the item in hand. */
  reviseLastRating: (verdict: RatingVerdict) => Promise<void>;
  /** Reports a problem with an item; resolves to an error message, or null once stored. */
  flagRatingItem: (itemId: string, kind: RatingFlagKind, note: string) => Promise<string | null>;
  loadRatingCounts: () => Promise<void>;
  ratingOnConnect: () => void;
  resetRating: () => void;
}

/** The rating state of a tab before any item is asked for; a sign-out or a new participant returns to it. */
const NO_RATING = {
  ratingStatus: 'idle',
  ratingItem: null,
  ratingShownAt: null,
  ratingProgress: null,
  ratingCounts: null,
  ratingLast: null,
  ratingEditing: false,
  ratingError: null,
} as const satisfies Partial<RatingSlice>;

export const createRatingSlice: AppSlice<RatingSlice> = (set, get) => {
  let loading: Promise<void> | null = null;

  const load = async (): Promise<void> => {
    set({ ratingStatus: 'loading', ratingError: null });
    const r = await request('rating:next', {});
    if (r.ok) {
      // The same item again (asked twice, or after a reconnect) keeps its clock running.
      const same = get().ratingItem?.itemId === r.data.itemId;
      set({ ratingStatus: 'ready', ratingItem: r.data, ratingShownAt: same ? get().ratingShownAt : Date.now() });
      // A new item leaves one fewer available: the counters of the last ack no longer hold.
      if (!same) void get().loadRatingCounts();
      return;
    }
    if (r.error === 'no_work') {
      await get().loadRatingCounts();
      const progress = get().ratingProgress;
      const quotaReached = get().ratingCounts?.finished ?? (progress !== null && progress.rated >= progress.quota);
      set({ ratingStatus: 'idle', ratingItem: null, ratingShownAt: null });
      get().setFinish({
        role: 'rater',
        completionCode: get().finish?.completionCode ?? null,
        message: quotaReached ? t('end.quotaReached') : t('end.nothingLeft'),
      });
      navigate('/done', { replace: true });
      return;
    }
    set({ ratingStatus: 'error', ratingError: ackMessage(r) });
  };

  /** Seconds on the item, to a tenth, as the payload schemas take them (0 to a week). */
  const secondsSince = (since: number | null): number =>
    Math.round(Math.min(7 * 24 * 3600, Math.max(0, (Date.now() - (since ?? Date.now())) / 1000)) * 10) / 10;

  /** After a judgment is stored: counters, the judgment kept for a change of mind (not the final one), the code. */
  const judged = (data: RatingSubmitted, last: LastJudgment): void => {
    set({
      ratingProgress: { rated: data.rated, quota: data.quota },
      ratingCounts: data,
      ratingLast: data.finished ? null : last,
      ratingItem: null,
      ratingShownAt: null,
    });
    if (data.completionCode !== null) {
      get().setFinish({
        role: 'rater',
        completionCode: data.completionCode,
        message: t('end.quotaReached'),
      });
    }
  };

  return {
    ...NO_RATING,

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
      const r = await request('rating:submit', {
        itemId: item.itemId,
        ...input,
        secondsSpent: secondsSince(get().ratingShownAt),
      });
      if (!r.ok) {
        set({ ratingStatus: 'ready', ratingError: ackMessage(r) });
        return;
      }
      judged(r.data, { item, verdict: { kind: 'scores', input } });
      await get().nextRating();
    },

    skipRating: async (reason, note) => {
      const item = get().ratingItem;
      if (!item || get().ratingStatus === 'submitting') return;
      set({ ratingStatus: 'submitting', ratingError: null });
      const r = await request('rating:skip', {
        itemId: item.itemId,
        reason,
        ...(note ? { note } : {}),
        secondsSpent: secondsSince(get().ratingShownAt),
      });
      if (!r.ok) {
        set({ ratingStatus: 'ready', ratingError: ackMessage(r) });
        return;
      }
      judged(r.data, { item, verdict: { kind: 'cant_judge', reason, note } });
      await get().nextRating();
    },

    editLastRating: (editing) => set({ ratingEditing: editing && get().ratingLast !== null, ratingError: null }),

    reviseLastRating: async (verdict) => {
      const last = get().ratingLast;
      if (!last) return;
      set({ ratingError: null });
      const body =
        verdict.kind === 'scores'
          ? { itemId: last.item.itemId, ...verdict.input }
          : { itemId: last.item.itemId, reason: verdict.reason, ...(verdict.note ? { note: verdict.note } : {}) };
      // Time spent changing a judgment is not tracked separately: the server adds what is sent to the original.
      const r = await request('rating:revise', { ...body, secondsSpent: 0 });
      if (!r.ok) {
        set({ ratingError: ackMessage(r) });
        return;
      }
      set({ ratingCounts: r.data, ratingLast: { item: last.item, verdict }, ratingEditing: false });
    },

    flagRatingItem: async (itemId, kind, note) => {
      const r = await request('rating:flag', { itemId, kind, ...(note ? { note } : {}) });
      return r.ok ? null : ackMessage(r);
    },

    loadRatingCounts: async () => {
      const r = await request('rating:progress', {});
      if (r.ok) set({ ratingCounts: r.data, ratingProgress: { rated: r.data.rated, quota: r.data.quota } });
    },

    resetRating: () => set(NO_RATING),

    ratingOnConnect: () => {
      // After a reconnect, ask again for the item in hand (the server returns the same lease). A first load is the
      // rater page's to start: the done page must not ask the queue.
      if (get().ratingItem && get().ratingStatus !== 'submitting') void get().nextRating();
    },
  };
};
