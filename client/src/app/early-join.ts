import { matchRoute, prolificParams } from './router.ts';

/**
 * The invitation link's join (POST /api/join, then the participant's journey) started by main.tsx before React's
 * first render, so its round trips overlap the app's start-up instead of following it: on a phone with a slow CPU
 * that start-up takes longer than the round trips. The join page then takes the join over instead of starting it.
 */

let startedFor: string | null = null;

/**
 * Starts the join when the page is an invitation link (/join/:code); `join` is the store's joinWithInvite. Returns
 * the join (settled when the first step is known, whether it joined or failed), or null on any other page.
 */
export function startJoinEarly(
  join: (code: string, params: ReturnType<typeof prolificParams>) => Promise<void>,
): Promise<void> | null {
  const route = matchRoute(window.location.pathname);
  if (route.name !== 'join') return null;
  startedFor = route.code;
  return join(route.code, prolificParams(window.location.search));
}

/** True once, for the code whose join main.tsx started: the join page's first mount then leaves the join alone. */
export function takeEarlyJoin(code: string): boolean {
  const mine = startedFor === code;
  startedFor = null;
  return mine;
}
