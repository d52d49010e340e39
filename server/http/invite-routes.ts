import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, OkSchema, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  CreateInviteBodySchema,
  InviteParamsSchema,
  InviteResponseSchema,
  InvitesResponseSchema,
  RevokeInviteBodySchema,
  UpdateInviteBodySchema,
} from '../../shared/schemas/api-studies.ts';
import { disconnectSession } from '../realtime/socket-auth.ts';
import type { InviteLimits, StudyInvite } from '../storage/people-storage.ts';
import type { Storage } from '../storage/storage.ts';
import { studyAccess } from './study-guards.ts';

const tags = ['invites'];

const withPath = (invite: StudyInvite) => ({ ...invite, path: `/join/${invite.code}` });

/**
 * The expiry as stored: UTC in `toISOString` form, so every reader compares like with like. One already past is
 * refused: a link that admits nobody from the start is a mistake (revoking is how a link is ended on purpose).
 */
function storedExpiry(expiresAt: string | null | undefined, now: Date): string | null | undefined {
  if (expiresAt === undefined || expiresAt === null) return expiresAt;
  const at = new Date(expiresAt);
  if (at.getTime() <= now.getTime()) {
    throw new AppError('invalid_payload', 'the expiry time has already passed; give a time in the future', {
      issues: [{ path: '$.expiresAt', message: 'must be in the future' }],
    });
  }
  return at.toISOString();
}

/** The limits a body names, ready for storage; fields it leaves out stay out. */
function limitsOf(
  body: { label?: string; maxParticipants?: number | null; expiresAt?: string | null },
  now: Date,
): Partial<InviteLimits> {
  const expiresAt = storedExpiry(body.expiresAt, now);
  return {
    ...(body.label === undefined ? {} : { label: body.label }),
    ...(body.maxParticipants === undefined ? {} : { maxParticipants: body.maxParticipants }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/**
 * Invitation links, any number per study and role. A link is `/join/<code>`; Prolific appends its PROLIFIC_PID,
 * STUDY_ID and SESSION_ID parameters, which the join page passes on. Each link may carry a label, a participant cap
 * and an expiry (docs/security.md, "Invitation links").
 */
export function inviteRoutes(storage: Storage) {
  const requireStudy = async (studyId: string): Promise<void> => {
    if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
  };
  const requireInvite = async (studyId: string, code: string): Promise<StudyInvite> => {
    const invite = await storage.people.findInvite(code);
    if (!invite || invite.studyId !== studyId) throw new AppError('not_found', 'no such invitation in this study');
    return invite;
  };
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // Invitation links let people into the study: its work, for collaborators and owners.
    app.addHook('onRequest', studyAccess('work').onRequest);

    app.get(
      '/api/studies/:studyId/invites',
      { schema: { tags, params: StudyParamsSchema, response: { 200: InvitesResponseSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        await requireStudy(request.params.studyId);
        const invites = await storage.people.listInvites(request.params.studyId);
        return { invites: invites.map(withPath) };
      },
    );

    app.post(
      '/api/studies/:studyId/invites',
      {
        schema: {
          tags,
          params: StudyParamsSchema,
          body: CreateInviteBodySchema,
          response: { 201: InviteResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await requireStudy(request.params.studyId);
        const { role, ...limits } = request.body;
        const invite = await storage.people.createInvite({
          studyId: request.params.studyId,
          role,
          ...limitsOf(limits, new Date()),
        });
        return reply.code(201).send({ invite: withPath(invite) });
      },
    );

    app.patch(
      '/api/studies/:studyId/invites/:code',
      {
        schema: {
          tags,
          params: InviteParamsSchema,
          body: UpdateInviteBodySchema,
          response: { 200: InviteResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId, code } = request.params;
        await requireInvite(studyId, code);
        const invite = await storage.people.updateInvite(code, limitsOf(request.body, new Date()));
        if (!invite) throw new AppError('not_found', 'no such invitation in this study');
        return { invite: withPath(invite) };
      },
    );

    app.delete(
      '/api/studies/:studyId/invites/:code',
      {
        schema: {
          tags,
          params: InviteParamsSchema,
          // A DELETE usually has no body (null here): people who joined through the link may then come back to finish.
          body: RevokeInviteBodySchema.nullish(),
          response: { 200: OkSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId, code } = request.params;
        await requireInvite(studyId, code);
        const { revokedSessions } = await storage.people.revokeInvite(code, request.body?.mode ?? 'finish');
        // Revoked sessions are refused from now on; sockets already open with them are closed here, not left running.
        for (const tokenHash of revokedSessions) disconnectSession(request.server.io, tokenHash);
        return { ok: true as const };
      },
    );
  };
}
