/**
 * Which browser origins may talk to the server with a person's cookie. Same-origin always may; others only when
 * listed (PREFDISCO_ALLOWED_ORIGINS). Browsers send `Origin` on every cross-origin request and every WebSocket
 * handshake, so a request without one comes from the same page or from a non-browser client (CLI, tests, curl),
 * neither of which can ride on a victim's cookie.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    // Includes the literal "null" origin of sandboxed frames and file:// pages.
    return false;
  }
  // Host, not scheme: behind a TLS-terminating proxy the page is https while the server sees plain http.
  if (host !== undefined && parsed.host === host.toLowerCase()) return true;
  return allowedOrigins.includes(parsed.origin);
}

/** Normalizes configured origins ("https://app.example.org/" → "https://app.example.org"); throws on a non-URL. */
export function normalizeOrigin(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${value}: an origin must be http:// or https://`);
  return url.origin;
}
