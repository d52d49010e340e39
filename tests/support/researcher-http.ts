/** The researcher's API over HTTP, for test and bench set-ups that drive a served app the way the console does. */

/** The admin account test and bench servers are started with (PREFDISCO_ADMIN_USERNAME / _PASSWORD). */
export const ADMIN = { username: 'admin', password: 'a long enough password' };

/** One JSON request with the session cookie; a non-2xx answer throws with the method, URL, status and body. */
export async function call(
  url: string,
  method: string,
  cookie: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Signs in as ADMIN and returns the session cookie to send with `call`. */
export async function signInAsAdmin(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
