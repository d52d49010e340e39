import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, OkSchema } from '../../shared/schemas/api-common.ts';
import { IdentityResponseSchema, JoinParamsSchema } from '../../shared/schemas/api-auth.ts';
import { JoinBodySchema, JoinResultSchema, LoginBodySchema, type JoinResult } from '../../shared/schemas/auth.ts';
import { login } from '../services/auth/accounts.ts';
import { checkProlificIdFormat, joinStudy, type ProlificIdRule, type StudyGate } from '../services/auth/join-study.ts';
import {
  hashSessionToken,
  issueSession,
  resolveSession,
  revokeSession,
  type IssuedSession,
} from '../services/auth/sessions.ts';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../plugins/auth.ts';
import { disconnectSession } from '../realtime/socket-auth.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';
import { LOGOUT_BODY_LIMIT } from '../plugins/body-limits.ts';

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
  /** Whether the study refuses PROLIFIC_PIDs that are not 24 hex characters (its settings); none: any id is taken. */
  requireProlificIdFormat?: ProlificIdRule;
  secureCookies: boolean;
  rateLimits: AuthRateLimits;
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

/**
 * The browser's own session when it already belongs to `participantId` (the same person opening their link again,
 * going Back to it, or in a second tab): kept, so the tabs already open are not cut off as if the server had ended
 * them (docs/live-play.md, "Tabs, Back and drafts"). Null when the join must start a new session.
 */
async function sessionToKeep(
  request: FastifyRequest,
  people: PeopleStorage,
  participantId: string,
): Promise<IssuedSession | null> {
  const identity = request.identity;
  if (identity?.kind !== 'participant' || identity.participantId !== participantId) return null;
  const token = sessionTokenOf(request);
  const session = token === null ? null : await resolveSession(people, token);
  return token === null || session === null
    ? null
    : { token, tokenHash: session.tokenHash, expiresAt: session.expiresAt };
}

/** Sign-in, sign-out, who am I, and joining a study through an invitation link. */
export function authRoutes(options: AuthRoutesOptions) {
  const { people, secureCookies } = options;
  const perMinute = (max: number) => ({ rateLimit: { max, timeWindow: '1 minute' } });

  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // Nothing about a session may be cached by a browser or a proxy.
    app.addHook('onSend', async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
    });

    app.post(
      '/api/auth/login',
      {
        config: perMinute(options.rateLimits.loginPerMinute),
        schema: {
          tags: ['auth'],
          body: LoginBodySchema,
          response: { 200: IdentityResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        try {
          const { identity, session } = await login(people, request.body.username, request.body.password);
          await revokePrevious(request, people);
          setSessionCookie(reply, session, secureCookies);
          return { identity };
        } catch (error) {
          // Who tried is not logged: people type passwords into the username field.
          if (error instanceof AppError) request.log.info({ ip: request.ip }, 'login failed');
          // A username locked after repeated failures (services/auth/login-throttle.ts) says when to try again.
          const retryAfter = error instanceof AppError ? error.details?.['retryAfterSeconds'] : undefined;
          if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
          throw error;
        }
      },
    );

    app.post(
      '/api/auth/logout',
      { bodyLimit: LOGOUT_BODY_LIMIT, schema: { tags: ['auth'], response: { 200: OkSchema, ...ERROR_RESPONSES } } },
      async (request, reply) => {
        const token = sessionTokenOf(request);
        if (token !== null) {
          const tokenHash = hashSessionToken(token);
          await revokeSession(people, tokenHash);
          disconnectSession(request.server.io, tokenHash);
        }
        clearSessionCookie(reply, secureCookies);
        return { ok: true as const };
      },
    );

    app.get(
      '/api/auth/me',
      { schema: { tags: ['auth'], response: { 200: IdentityResponseSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        if (!request.identity) throw new AppError('unauthenticated', 'not signed in');
        return { identity: request.identity };
      },
    );

    app.post(
      '/api/join/:code',
      {
        config: perMinute(options.rateLimits.joinPerMinute),
        schema: {
          tags: ['auth'],
          params: JoinParamsSchema,
          // A link opened without Prolific's parameters may send no body at all.
          body: JoinBodySchema.prefault({}),
          response: { 200: JoinResultSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const prolific = {
          ...(body.PROLIFIC_PID === undefined ? {} : { prolificPid: body.PROLIFIC_PID }),
          ...(body.STUDY_ID === undefined ? {} : { prolificStudyId: body.STUDY_ID }),
          ...(body.SESSION_ID === undefined ? {} : { prolificSessionId: body.SESSION_ID }),
        };
        if (options.requireProlificIdFormat) {
          await checkProlificIdFormat(people, request.params.code, prolific, options.requireProlificIdFormat);
        }
        const { participant, resumed } = await joinStudy(
          people,
          request.params.code,
          prolific,
          options.studyGate,
          request.identity,
        );
        const kept = await sessionToKeep(request, people, participant.id);
        const session = kept ?? (await issueSession(people, 'participant', participant.id));
        if (!kept) await revokePrevious(request, people);
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
      },
    );
  };
}
