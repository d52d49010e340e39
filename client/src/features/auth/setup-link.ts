/**
 * The one-time token of the setup link the server prints on its console at start
 * (`http://localhost:PORT/setup#token=…`). Read from the fragment, which the browser never sends to a server (so it is
 * not in access logs) or in a Referer; `?token=` is accepted too, for links pasted by hand.
 */
export function setupTokenFrom(location: Pick<Location, 'hash' | 'search'>): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  const token = fromHash ?? new URLSearchParams(location.search).get('token');
  return token === null || token.trim() === '' ? null : token.trim();
}
