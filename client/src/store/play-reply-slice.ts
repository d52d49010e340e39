import { ackMessage, request } from '../realtime/socket.ts';
import { awaitingTurnOf, type QuestionTag } from './play-log.ts';
import { RATED } from './play-outcome.ts';
import { memory, type PendingReply } from './session-memory.ts';
import type { AppSlice } from './types.ts';

/** What the actor sends: replies (kept until acknowledged, resent after a drop), question tags, the self-rating. */
export interface PlayReplySlice {
  /** Replies sent but not yet acknowledged by the server, oldest first. */
  outbox: PendingReply[];
  draft: string;
  replyError: string | null;
  /** Tags sent and not yet seen back in the log, by turn. */
  pendingTags: Record<number, QuestionTag>;
  tagError: string | null;
  selfRatingBusy: boolean;
  selfRatingError: string | null;
  setDraft: (text: string) => void;
  /** Sends the draft as the reply to the question waiting; false when there is nothing to send or no question. */
  sendReply: () => boolean;
  flushOutbox: () => void;
  restoreReplies: (episodeId: string) => void;
  dropAckedReplies: () => void;
  tagQuestion: (turn: number, tag: QuestionTag) => Promise<void>;
  submitSelfRating: (rating: {
    scores: Record<string, number>;
    correct: 0 | 1;
    justification?: string;
    secondsSpent: number;
  }) => Promise<void>;
  dismissPlayErrors: () => void;
}

/** crypto.randomUUID exists only on https and localhost; a lab server on plain http still needs unique ids. */
function newClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const createPlayReplySlice: AppSlice<PlayReplySlice> = (set, get) => {
  const inFlight = new Set<string>();

  const keepOutbox = (outbox: PendingReply[]): void => {
    const episode = get().episode;
    if (episode) memory.saveOutbox(episode.episodeId, outbox);
    set({ outbox });
  };
  const remove = (id: string): void => keepOutbox(get().outbox.filter((r) => r.clientMessageId !== id));

  return {
    outbox: [],
    draft: '',
    replyError: null,
    pendingTags: {},
    tagError: null,
    selfRatingBusy: false,
    selfRatingError: null,

    setDraft: (text) => {
      const episode = get().episode;
      if (episode) memory.saveDraft(episode.episodeId, text);
      set({ draft: text });
    },

    sendReply: () => {
      const { episode, draft, outbox, playLog } = get();
      const text = draft.trim();
      const turn = awaitingTurnOf(playLog.events);
      if (!episode || text === '' || turn === null || outbox.some((r) => r.turn === turn)) return false;
      const reply: PendingReply = { clientMessageId: newClientMessageId(), episodeId: episode.episodeId, turn, text };
      // Kept before it is sent: a reload or a drop between here and the ack resends the same id, stored once.
      keepOutbox([...outbox, reply]);
      get().setDraft('');
      set({ replyError: null, idleWarning: null });
      get().flushOutbox();
      return true;
    },

    flushOutbox: () => {
      if (get().connection !== 'connected') return;
      for (const reply of get().outbox) {
        if (inFlight.has(reply.clientMessageId)) continue;
        inFlight.add(reply.clientMessageId);
        const { clientMessageId, episodeId, text } = reply;
        void request('episode:reply', { episodeId, clientMessageId, text }).then((r) => {
          inFlight.delete(clientMessageId);
          if (r.ok) return remove(clientMessageId);
          // No answer: the reply stays in the outbox and goes again on the next connection.
          if (r.error === 'timeout' || r.error === 'offline') return;
          // Refused for good (too long, not awaited, episode over): give the words back to the actor.
          remove(clientMessageId);
          if (get().draft.trim() === '') get().setDraft(text);
          set({ replyError: ackMessage(r) });
        });
      }
    },

    restoreReplies: (episodeId) => {
      set({ outbox: memory.outbox(episodeId), draft: memory.draft(episodeId), pendingTags: {} });
      get().dropAckedReplies();
    },

    /** A reply seen in the log was stored, whether or not its ack reached this tab. */
    dropAckedReplies: () => {
      const stored = new Set(
        get().playLog.events.flatMap((e) => (e.type === 'message' && e.clientMessageId ? [e.clientMessageId] : [])),
      );
      const left = get().outbox.filter((r) => !stored.has(r.clientMessageId));
      if (left.length !== get().outbox.length) keepOutbox(left);
      const tagged = new Set(get().playLog.events.flatMap((e) => (e.type === 'question_tagged' ? [e.turn] : [])));
      const pending = get().pendingTags;
      if (Object.keys(pending).some((t) => tagged.has(Number(t)))) {
        set({ pendingTags: Object.fromEntries(Object.entries(pending).filter(([t]) => !tagged.has(Number(t)))) });
      }
    },

    tagQuestion: async (turn, tag) => {
      const episode = get().episode;
      if (!episode) return;
      set({ pendingTags: { ...get().pendingTags, [turn]: tag }, tagError: null });
      const r = await request('episode:tag', { episodeId: episode.episodeId, turn, tag });
      if (!r.ok) {
        const { [turn]: _dropped, ...rest } = get().pendingTags;
        set({ pendingTags: rest, tagError: `The tag was not saved: ${ackMessage(r)}` });
      }
    },

    submitSelfRating: async (rating) => {
      const { episode } = get();
      if (!episode || get().selfRatingBusy) return;
      set({ selfRatingBusy: true, selfRatingError: null });
      const r = await request('episode:rate', { episodeId: episode.episodeId, ...rating });
      set({ selfRatingBusy: false });
      if (r.ok) return get().finishPlay(RATED, r.data.completionCode);
      // Already rated (from another tab, or an ack lost on the way): the resync shows the finished state.
      if (r.error === 'conflict') return get().resyncEpisode();
      set({ selfRatingError: ackMessage(r) });
    },

    dismissPlayErrors: () => set({ replyError: null, tagError: null, selfRatingError: null }),
  };
};
