import { createHash, randomBytes } from 'node:crypto';
import type { Identity } from '../../../shared/schemas/identity.ts';
import type { PeopleStorage, SessionKind } from '../../storage/people-storage.ts';

/** Name of the session cookie, for HTTP and for the Socket.IO handshake. */
export const SESSION_COOKIE = 'pd_session';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Researchers sign in again monthly; participants keep one session for a whole study (Prolific studies run for weeks). */
export const SESSION_TTL_MS: Record<SessionKind, number> = { researcher: 30 * DAY_MS, participant: 90 * DAY_MS };

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedSession {
  /** Goes to the browser (signed, in the cookie) and nowhere else: never stored, never logged. */
  token: string;
  tokenHash: string;
  expiresAt: Date;
}

export interface ResolvedSession {
  identity: Identity;
  tokenHash: string;
  expiresAt: Date;
}

/** SHA-256 is enough here (no salt, no stretching): the token has 256 random bits, nothing to guess. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function issueSession(
  people: PeopleStorage,
  kind: SessionKind,
  subjectId: string,
  now = new Date(),
): Promise<IssuedSession> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const tokenHash = hashSessionToken(token);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS[kind]);
  await people.createSession({
    tokenHash,
    kind,
    subjectId,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });
  return { token, tokenHash, expiresAt };
}

/** Who a token belongs to, or null when it is malformed, unknown, revoked or expired. */
export async function resolveSession(
  people: PeopleStorage,
  token: string,
  now = new Date(),
): Promise<ResolvedSession | null> {
  // Anything that is not the shape we issue is rejected before it reaches the database.
  if (!TOKEN_PATTERN.test(token)) return null;
  const session = await people.findValidSession(hashSessionToken(token), now);
  return session
    ? { identity: session.identity, tokenHash: session.tokenHash, expiresAt: new Date(session.expiresAt) }
    : null;
}

export async function revokeSession(people: PeopleStorage, tokenHash: string): Promise<void> {
  await people.revokeSession(tokenHash);
}

/**
 * The cookie-signing secret: the configured one, else one generated on first start and kept in the database, so
 * cookies stay valid across restarts without any configuration and every install has its own key.
 */
export async function resolveCookieSecret(
  people: PeopleStorage,
  configured: string | null | undefined,
): Promise<string> {
  if (configured) return configured;
  return people.getOrCreateAppSecret('cookie-signing', randomBytes(32).toString('base64url'));
}
