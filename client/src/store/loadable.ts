import { errorMessage, isAbort } from '../http/request.ts';
import type { AppState } from './types.ts';

/**
 * Something a research tab fetches for the open study. It remembers which study it belongs to, so switching studies
 * never shows one study's numbers under another's name while the new ones load.
 */
export interface Loadable<T> {
  studyId: string | null;
  data: T | null;
  loading: boolean;
  error: string | null;
}

export const idle = <T>(): Loadable<T> => ({ studyId: null, data: null, loading: false, error: null });

/** The data when it belongs to `studyId`, else null (still loading the new study, or never loaded). */
export function dataFor<T>(loadable: Loadable<T>, studyId: string | null): T | null {
  return studyId !== null && loadable.studyId === studyId ? loadable.data : null;
}

type Set = (partial: Partial<AppState>) => void;
type Get = () => AppState;
type LoadableKey = { [K in keyof AppState]: AppState[K] extends Loadable<unknown> ? K : never }[keyof AppState];
type DataOf<K extends LoadableKey> = AppState[K] extends Loadable<infer T> ? T : never;

export interface LoadOptions {
  /** A poll: keep the shown data and do not flash the loading bar; failures still show. */
  background?: boolean;
}

/**
 * A load action for `key`: fetches for the open study, aborting the previous request of the same key (a slow answer
 * must not overwrite a newer one), drops answers for a study that is no longer open, and sends a 401 to sign-in.
 */
export function loader<K extends LoadableKey>(
  set: Set,
  get: Get,
  key: K,
  fetch: (studyId: string, signal: AbortSignal) => Promise<DataOf<K>>,
): (options?: LoadOptions) => Promise<void> {
  let inFlight: AbortController | null = null;
  const put = (value: Loadable<DataOf<K>>): void => set({ [key]: value } as Partial<AppState>);
  const current = (): Loadable<DataOf<K>> => get()[key] as Loadable<DataOf<K>>;

  return async (options = {}) => {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    // A poll never cancels a load the researcher asked for; it simply waits for the next tick.
    if (options.background && inFlight) return;
    inFlight?.abort();
    const request = new AbortController();
    inFlight = request;
    const before = current();
    const same = before.studyId === studyId;
    if (!options.background || !same)
      put({ studyId, data: same ? before.data : null, loading: true, error: same ? before.error : null });
    try {
      const data = await fetch(studyId, request.signal);
      if (request.signal.aborted || get().selectedStudyId !== studyId) return;
      put({ studyId, data, loading: false, error: null });
    } catch (err) {
      if (isAbort(err) || get().expireSessionOn(err) || get().selectedStudyId !== studyId) return;
      put({ ...current(), studyId, loading: false, error: errorMessage(err) });
    } finally {
      if (inFlight === request) inFlight = null;
    }
  };
}
