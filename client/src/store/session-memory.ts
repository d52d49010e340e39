import type { PlaySnapshot } from '../../../shared/protocol/live.ts';

/**
 * What a participant's tab keeps in sessionStorage so a reload loses nothing: the reply being sent until the server
 * acknowledges it, the draft being typed, the episode being played (the server has no "resume the episode I am
 * rating" request: play:start only resumes running episodes), and how the participant finished.
 * Keys carry the participant or episode id so another participant in the same tab never sees them.
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

/** The part of the Web Storage API used here: sessionStorage in the browser, a Map-backed stand-in in unit tests. */
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
    /** Journey steps already done in this tab (consent, practice), so a reload does not ask again. */
    stepDone: (participantId: string, step: 'consent' | 'practice'): boolean =>
      read<boolean>(`pd.${step}.${participantId}`) === true,
    markStep: (participantId: string, step: 'consent' | 'practice'): void => write(`pd.${step}.${participantId}`, true),
  };
}

export type SessionMemory = ReturnType<typeof createSessionMemory>;

export const memory: SessionMemory = createSessionMemory(() => window.sessionStorage);
