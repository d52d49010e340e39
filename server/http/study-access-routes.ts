import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES, OkSchema, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  AddStudyMemberBodySchema,
  AuditPageSchema,
  AuditQuerySchema,
  ChangeStudyMemberBodySchema,
  StudyMemberParamsSchema,
  StudyMemberResponseSchema,
  StudyMembersResponseSchema,
} from '../../shared/schemas/study-access.ts';
import { addStudyMember, changeStudyMember, removeStudyMember } from '../services/access/study-members.ts';
import type { Storage } from '../storage/storage.ts';
import { noStore } from './no-store.ts';
import { requestResearcher, studyAccess } from './study-guards.ts';

const tags = ['access'];

/**
 * Who has which role in a study, and its audit log (docs/data-protection.md, "Researcher access"). Any member reads
 * the members; only owners change them or read the log.
 */
export function studyAccessRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);

    app.get(
      '/api/studies/:studyId/members',
      {
        ...studyAccess('view'),
        schema: { tags, params: StudyParamsSchema, response: { 200: StudyMembersResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => ({ members: await storage.access.listMembers(request.params.studyId) }),
    );

    app.post(
      '/api/studies/:studyId/members',
      {
        ...studyAccess('manage'),
        schema: {
          tags,
          params: StudyParamsSchema,
          body: AddStudyMemberBodySchema,
          response: { 201: StudyMemberResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const member = await addStudyMember(storage, requestResearcher(request), request.params.studyId, request.body);
        return reply.code(201).send({ member });
      },
    );

    app.put(
      '/api/studies/:studyId/members/:researcherId',
      {
        ...studyAccess('manage'),
        schema: {
          tags,
          params: StudyMemberParamsSchema,
          body: ChangeStudyMemberBodySchema,
          response: { 200: StudyMemberResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId, researcherId } = request.params;
        const who = requestResearcher(request);
        return { member: await changeStudyMember(storage, who, studyId, researcherId, request.body.role) };
      },
    );

    app.delete(
      '/api/studies/:studyId/members/:researcherId',
      {
        ...studyAccess('manage'),
        schema: { tags, params: StudyMemberParamsSchema, response: { 200: OkSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const { studyId, researcherId } = request.params;
        await removeStudyMember(storage, requestResearcher(request), studyId, researcherId);
        return { ok: true as const };
      },
    );

    app.get(
      '/api/studies/:studyId/audit',
      {
        ...studyAccess('manage'),
        schema: {
          tags,
          params: StudyParamsSchema,
          querystring: AuditQuerySchema,
          response: { 200: AuditPageSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => storage.access.listAudit(request.params.studyId, request.query),
    );
  };
}
