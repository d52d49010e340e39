import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InviteCodeSchema, JoinBodySchema, LoginBodySchema, type JoinResult } from '../../shared/schemas/auth.ts';
import { login } from '../services/auth/accounts.ts';
import { AuthError, type AuthErrorCode } from '../services/auth/auth-error.ts';
import { joinStudy, type StudyGate } from '../services/auth/join-study.ts';
import { hashSessionToken, issueSession, revokeSession } from '../services/auth/sessions.ts';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../plugins/auth.ts';
import { disconnectSession } from '../realtime/socket-auth.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';
import { parseOrReply } from './parse-request.ts';

export interface AuthRateLimits {
  /** Login attempts per IP per minute: slows password guessing to a crawl. */
  loginPerMinute: number;
  /** Joins per IP per minute: generous, since a lab or campus network can put many participants behind one address. */
  joinPerMinute: number;
}

export const DEFAULT_AUTH_RATE_LIMITS: AuthRateLimits = { loginPerMinute: 10, joinPerMinute: 60 };

export interface AuthRoutesOptions {
  people: PeopleStorage;
  /** The consent text and role instructions a joining participant sees first (from the study's settings). */
  participantIntro?: (
    studyId: string,
    role: 'actor' | 'rater',
  ) => Promise<{ consentText: string; instructions: string }>;
  studyGate: StudyGate;
  secureCookies: boolean;
  rateLimits: AuthRateLimits;
}

const STATUS: Record<AuthErrorCode, number> = {
  invalid_credentials: 401,
  invalid_invite: 404,
  study_paused: 403,
  study_closed: 403,
  role_conflict: 409,
  username_taken: 409,
  invalid_username: 400,
  weak_password: 400,
};

const JoinParams = z.object({ code: InviteCodeSchema });

function sendAuthError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof AuthError)) throw error;
  // AuthError messages are written for people (see services/auth); nothing else is ever echoed.
  return reply.code(STATUS[error.code]).send({ error: error.code, message: error.message });
}

/**
 * The browser's previous session is replaced by the new one: revoke it so it cannot be replayed, and close the sockets
 * opened with it, as logout does (found by the authorization audit: they kept acting as the old identity).
 */
async function revokePrevious(request: FastifyRequest, people: PeopleStorage): Promise<void> {
  const token = sessionTokenOf(request);
  if (token === null) return;
  const tokenHash = hashSessionToken(token);
  await revokeSession(people, tokenHash);
  disconnectSession(request.server.io, tokenHash);
}

/** Sign-in, sign-out, who am I, and joining a study through an invitation link. */
export function authRoutes(options: AuthRoutesOptions) {
  const { people, secureCookies } = options;
  const perMinute = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

  return async (app: FastifyInstance): Promise<void> => {
    // Nothing about a session may be cached by a browser or a proxy.
    app.addHook('onSend', async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
    });

    app.post('/api/auth/login', { config: perMinute(options.rateLimits.loginPerMinute) }, async (request, reply) => {
      const body = parseOrReply(LoginBodySchema, request.body, reply);
      if (!body) return reply;
      try {
        const { identity, session } = await login(people, body.username, body.password);
        await revokePrevious(request, people);
        setSessionCookie(reply, session, secureCookies);
        return { identity };
      } catch (error) {
        // Who tried is not logged: people type passwords into the username field.
        if (error instanceof AuthError) request.log.info({ ip: request.ip }, 'login failed');
        return sendAuthError(reply, error);
      }
    });

    app.post('/api/auth/logout', async (request, reply) => {
      const token = sessionTokenOf(request);
      if (token !== null) {
        const tokenHash = hashSessionToken(token);
        await revokeSession(people, tokenHash);
        disconnectSession(request.server.io, tokenHash);
      }
      clearSessionCookie(reply, secureCookies);
      return { ok: true };
    });

    app.get('/api/auth/me', async (request, reply) => {
      if (!request.identity) return reply.code(401).send({ error: 'unauthenticated', message: 'not signed in' });
      return { identity: request.identity };
    });

    app.post('/api/join/:code', { config: perMinute(options.rateLimits.joinPerMinute) }, async (request, reply) => {
      const params = parseOrReply(JoinParams, request.params, reply);
      const body = parseOrReply(JoinBodySchema, request.body ?? {}, reply);
      if (!params || !body) return reply;
      const prolific = {
        ...(body.PROLIFIC_PID === undefined ? {} : { prolificPid: body.PROLIFIC_PID }),
        ...(body.STUDY_ID === undefined ? {} : { prolificStudyId: body.STUDY_ID }),
        ...(body.SESSION_ID === undefined ? {} : { prolificSessionId: body.SESSION_ID }),
      };
      try {
        const { participant, resumed } = await joinStudy(
          people,
          params.code,
          prolific,
          options.studyGate,
          request.identity,
        );
        const session = await issueSession(people, 'participant', participant.id);
        await revokePrevious(request, people);
        setSessionCookie(reply, session, secureCookies);
        const intro = await options.participantIntro?.(participant.studyId, participant.role);
        const result: JoinResult = {
          participantId: participant.id,
          studyId: participant.studyId,
          role: participant.role,
          resumed,
          ...(intro ?? {}),
        };
        return result;
      } catch (error) {
        return sendAuthError(reply, error);
      }
    });
  };
}
