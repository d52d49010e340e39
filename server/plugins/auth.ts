import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveSession, SESSION_COOKIE, type IssuedSession } from '../services/auth/sessions.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';

export interface AuthPluginOptions {
  people: PeopleStorage;
  /** Signs the session cookie (HMAC-SHA256); from PREFDISCO_COOKIE_SECRET or generated and stored once. */
  cookieSecret: string;
}

/**
 * Cookies, and who is asking: `request.identity` is the researcher or participant of a valid session cookie, else
 * null (`request.identity` is declared in server/http/guards.ts). Registered on the root instance (not as an encapsulated plugin) so every route sees it.
 */
export async function registerAuth(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  await app.register(fastifyCookie, { secret: options.cookieSecret, hook: 'onRequest' });
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (request) => {
    const token = sessionTokenOf(request);
    request.identity = token === null ? null : ((await resolveSession(options.people, token))?.identity ?? null);
  });
}

/** The session token of the request's cookie if the cookie is present and its signature is valid, else null. */
export function sessionTokenOf(request: FastifyRequest): string | null {
  const raw = request.cookies[SESSION_COOKIE];
  if (raw === undefined) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid ? unsigned.value : null;
}

function cookieOptions(secure: boolean) {
  // httpOnly: page scripts (and so any injected script) cannot read it. SameSite=Lax: other sites' forms and fetches
  // do not carry it, while following a link to the app still does.
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, signed: true } as const;
}

export function setSessionCookie(reply: FastifyReply, session: IssuedSession, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(secure), expires: session.expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(secure));
}
