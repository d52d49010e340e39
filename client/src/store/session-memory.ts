import type { PlaySnapshot } from '../../../shared/protocol/live.ts';

/**
 * What a participant's browser keeps in localStorage so a reload, a second tab or coming back later loses nothing: the
 * reply being sent until the server acknowledges it, the draft being typed (until it is sent), the episode being
 * played (the server has no "resume the episode I am rating" request: play:start only resumes running episodes), the
 * ratings being filled in, the journey steps done (consent, instructions, practice) and how the participant finished. localStorage, not
 * sessionStorage: a returning participant opens their link in a new tab. Only one tab plays at a time
 * (shared/protocol/tabs.ts), so tabs never write the same keys at once. Keys carry the participant or episode id so
 * another participant in the same browser never sees them.
 */

export interface PendingReply {
  clientMessageId: string;
  episodeId: string;
  turn: number;
  text: string;
}

/** The parts of a PlaySnapshot the pages show; the conversation itself always comes from the server. */
export type EpisodeInfo = Pick<
  PlaySnapshot,
  'episodeId' | 'persona' | 'preferences' | 'rubric' | 'maxTurns' | 'idleTimeoutSeconds' | 'instructions'
>;

export interface Finish {
  role: 'actor' | 'rater';
  completionCode: string | null;
  /** Why the participant is here: finished, nothing left, timed out … (shown as the page's lead). */
  message: string;
}

/** The part of the Web Storage API used here: localStorage in the browser, a Map-backed stand-in in unit tests. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The tab's memory over `store` (looked up on each use: tests in Node have no window). */
export function createSessionMemory(store: () => KeyValueStore) {
  function read<T>(key: string): T | null {
    try {
      const raw = store().getItem(key);
      return raw === null ? null : (JSON.parse(raw) as T);
    } catch {
      // Storage disabled (private modes) or a value from an older build: behave as if nothing was kept.
      return null;
    }
  }

  function write(key: string, value: unknown): void {
    try {
      if (value === null) store().removeItem(key);
      else store().setItem(key, JSON.stringify(value));
    } catch {
      // Full or disabled storage only costs the reload safety net, never the session itself.
    }
  }

  return {
    outbox: (episodeId: string): PendingReply[] => read<PendingReply[]>(`pd.outbox.${episodeId}`) ?? [],
    saveOutbox: (episodeId: string, replies: PendingReply[]): void =>
      write(`pd.outbox.${episodeId}`, replies.length ? replies : null),
    draft: (episodeId: string): string => read<string>(`pd.draft.${episodeId}`) ?? '',
    saveDraft: (episodeId: string, text: string): void => write(`pd.draft.${episodeId}`, text === '' ? null : text),
    episode: (participantId: string): EpisodeInfo | null => read<EpisodeInfo>(`pd.episode.${participantId}`),
    saveEpisode: (participantId: string, info: EpisodeInfo | null): void => write(`pd.episode.${participantId}`, info),
    finish: (participantId: string): Finish | null => read<Finish>(`pd.finish.${participantId}`),
    saveFinish: (participantId: string, finish: Finish | null): void => write(`pd.finish.${participantId}`, finish),
    /** Ratings being filled in (scores, correctness, comment), by item or episode rated: a reload keeps them. */
    ratingDrafts: <T>(participantId: string): Record<string, T> =>
      read<Record<string, T>>(`pd.ratingDrafts.${participantId}`) ?? {},
    saveRatingDrafts: (participantId: string, drafts: Record<string, unknown>): void =>
      write(`pd.ratingDrafts.${participantId}`, Object.keys(drafts).length ? drafts : null),
    /** Journey steps already done in this browser, so a reload or a return does not ask again. */
    stepDone: (participantId: string, step: JourneyStep): boolean =>
      read<boolean>(`pd.${step}.${participantId}`) === true,
    markStep: (participantId: string, step: JourneyStep): void => write(`pd.${step}.${participantId}`, true),
  };
}

/** The steps before the task that a participant does once: agreeing, reading the instructions, the practice round. */
export type JourneyStep = 'consent' | 'instructions' | 'practice';

export type SessionMemory = ReturnType<typeof createSessionMemory>;

export const memory: SessionMemory = createSessionMemory(() => window.localStorage);
