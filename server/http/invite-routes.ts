import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParticipantRoleSchema } from '../../shared/schemas/identity.ts';
import { InviteCodeSchema } from '../../shared/schemas/auth.ts';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';
import { parseOrReply } from './parse-request.ts';

const StudyParams = z.object({ studyId: z.string().min(1).max(100) });
const InviteParams = StudyParams.extend({ code: InviteCodeSchema });
const CreateBody = z.strictObject({ role: ParticipantRoleSchema });

/**
 * Invitation links, one per study and role. A link is `/join/<code>`; Prolific appends its PROLIFIC_PID, STUDY_ID and
 * SESSION_ID parameters, which the join page passes on.
 */
export function inviteRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('preHandler', requireResearcher);

    app.get('/api/studies/:studyId/invites', async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      if (!params) return reply;
      if (!(await storage.getStudy(params.studyId)))
        return reply.code(404).send({ error: 'not_found', message: 'no such study' });
      const invites = await storage.people.listInvites(params.studyId);
      return { invites: invites.map((i) => ({ ...i, path: `/join/${i.code}` })) };
    });

    app.post('/api/studies/:studyId/invites', async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const body = parseOrReply(CreateBody, request.body, reply);
      if (!params || !body) return reply;
      if (!(await storage.getStudy(params.studyId)))
        return reply.code(404).send({ error: 'not_found', message: 'no such study' });
      const invite = await storage.people.createInvite({ studyId: params.studyId, role: body.role });
      return reply.code(201).send({ invite: { ...invite, path: `/join/${invite.code}` } });
    });

    app.delete('/api/studies/:studyId/invites/:code', async (request, reply) => {
      const params = parseOrReply(InviteParams, request.params, reply);
      if (!params) return reply;
      const invite = await storage.people.findInvite(params.code);
      if (!invite || invite.studyId !== params.studyId)
        return reply.code(404).send({ error: 'not_found', message: 'no such invitation in this study' });
      await storage.people.revokeInvite(params.code);
      return { ok: true };
    });
  };
}
