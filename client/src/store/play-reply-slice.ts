import type { LiveSyncState, SelfRating } from '../realtime/live-sync-state.ts';
import type { QuestionTag } from './play-log.ts';
import { liveSyncOf } from './play-slice.ts';
import type { AppSlice } from './types.ts';

/**
 * What the actor sends: replies (kept until acknowledged, resent after a drop), question tags, the self-rating.
 * A mirror of LiveSync's state, like play-slice.ts, whose LiveSync these actions forward to.
 */
export type PlayReplySlice = Pick<
  LiveSyncState,
  'outbox' | 'draft' | 'replyError' | 'pendingTags' | 'tagError' | 'selfRatingBusy' | 'selfRatingError'
> & {
  setDraft: (text: string) => void;
  /** Sends the draft as the reply to the question waiting; false when there is nothing to send or no question. */
  sendReply: () => boolean;
  tagQuestion: (turn: number, tag: QuestionTag) => Promise<void>;
  submitSelfRating: (rating: SelfRating) => Promise<void>;
  dismissPlayErrors: () => void;
};

export const createPlayReplySlice: AppSlice<PlayReplySlice> = (...args) => {
  const sync = liveSyncOf(...args);
  const { outbox, draft, replyError, pendingTags, tagError, selfRatingBusy, selfRatingError } = sync.state;
  return {
    outbox,
    draft,
    replyError,
    pendingTags,
    tagError,
    selfRatingBusy,
    selfRatingError,
    setDraft: (text) => sync.setDraft(text),
    sendReply: () => sync.sendReply(),
    tagQuestion: (turn, tag) => sync.tag(turn, tag),
    submitSelfRating: (rating) => sync.submitSelfRating(rating),
    dismissPlayErrors: () => sync.dismissErrors(),
  };
};
