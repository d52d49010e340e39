import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  CreateInviteBodySchema,
  InviteParamsSchema,
  InviteResponseSchema,
  InvitesResponseSchema,
} from '../../shared/schemas/api-studies.ts';
import { OkSchema } from '../../shared/schemas/api-common.ts';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';

const tags = ['invites'];

/**
 * Invitation links, one per study and role. A link is `/join/<code>`; Prolific appends its PROLIFIC_PID, STUDY_ID and
 * SESSION_ID parameters, which the join page passes on.
 */
export function inviteRoutes(storage: Storage) {
  const requireStudy = async (studyId: string): Promise<void> => {
    if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
  };
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', requireResearcher);

    app.get(
      '/api/studies/:studyId/invites',
      { schema: { tags, params: StudyParamsSchema, response: { 200: InvitesResponseSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        await requireStudy(request.params.studyId);
        const invites = await storage.people.listInvites(request.params.studyId);
        return { invites: invites.map((i) => ({ ...i, path: `/join/${i.code}` })) };
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
        const invite = await storage.people.createInvite({ studyId: request.params.studyId, role: request.body.role });
        return reply.code(201).send({ invite: { ...invite, path: `/join/${invite.code}` } });
      },
    );

    app.delete(
      '/api/studies/:studyId/invites/:code',
      { schema: { tags, params: InviteParamsSchema, response: { 200: OkSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        const { studyId, code } = request.params;
        const invite = await storage.people.findInvite(code);
        if (!invite || invite.studyId !== studyId) throw new AppError('not_found', 'no such invitation in this study');
        await storage.people.revokeInvite(code);
        return { ok: true as const };
      },
    );
  };
}
