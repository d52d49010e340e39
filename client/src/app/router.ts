import { useSyncExternalStore } from 'react';

/**
 * A tiny History-API router: the app has five kinds of page, so a routing library would cost more bytes on a
 * participant's first page than it saves. `navigate` pushes a state and tells subscribers; the back button
 * (popstate) does the same.
 */

const NAVIGATED = 'prefdisco:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

// Strings are compared by value, so the snapshot is stable between renders without memoizing an object.
const pathSnapshot = (): string => window.location.pathname;

export function usePathname(): string {
  return useSyncExternalStore(subscribe, pathSnapshot);
}

/** Goes to `to` (a path with an optional query). `replace` keeps the back button from returning to a finished step. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (current === to) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export type Route =
  | { name: 'join'; code: string }
  | { name: 'play' }
  | { name: 'rate' }
  | { name: 'done' }
  /** Everything else belongs to the researcher console, which may route further inside itself. */
  | { name: 'researcher' };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const join = /^\/join\/([^/]+)$/.exec(path);
  if (join?.[1]) return { name: 'join', code: decodeURIComponent(join[1]) };
  if (path === '/play') return { name: 'play' };
  if (path === '/rate') return { name: 'rate' };
  if (path === '/done') return { name: 'done' };
  return { name: 'researcher' };
}

/** The Prolific parameters of the current URL, passed on to POST /api/join (absent ones are left out). */
export function prolificParams(search: string): { PROLIFIC_PID?: string; STUDY_ID?: string; SESSION_ID?: string } {
  const query = new URLSearchParams(search);
  const out: { PROLIFIC_PID?: string; STUDY_ID?: string; SESSION_ID?: string } = {};
  for (const key of ['PROLIFIC_PID', 'STUDY_ID', 'SESSION_ID'] as const) {
    const value = query.get(key);
    if (value !== null) out[key] = value;
  }
  return out;
}
