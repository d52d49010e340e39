import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  CreateStudyBodySchema,
  ProblemIdsQuerySchema,
  ProblemIdsResponseSchema,
  RecordPageQuerySchema,
  RecordPageSchema,
  RecordParamsSchema,
  RecordResponseSchema,
  StudiesResponseSchema,
  StudyResponseSchema,
} from '../../shared/schemas/api-studies.ts';
import type { Storage } from '../storage/storage.ts';
import { ownNewStudy, studiesOf } from '../services/access/study-access.ts';
import { requireResearcher } from './guards.ts';
import { requestResearcher, studyAccess } from './study-guards.ts';

const tags = ['studies'];

/** Studies (list, create empty) and their records for researchers; imports and settings have their own routes. */
export function studyRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // Records carry personas' hidden preferences: researchers only, and per study its members (study-guards.ts).
    app.addHook('onRequest', requireResearcher);
    app.get(
      '/api/studies',
      { schema: { tags, response: { 200: StudiesResponseSchema, ...ERROR_RESPONSES } } },
      async (request) => ({ studies: await studiesOf(storage, requestResearcher(request).researcherId) }),
    );

    app.post(
      '/api/studies',
      {
        schema: {
          tags,
          body: CreateStudyBodySchema,
          response: { 201: StudyResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { name, description } = request.body;
        // A taken name is refused by storage (conflict), so two researchers creating the same name get one study.
        const study = await storage.createStudy({ name, ...(description ? { description } : {}) });
        await ownNewStudy(storage, study.id, requestResearcher(request).researcherId);
        return reply.code(201).send({ study });
      },
    );

    app.get(
      '/api/studies/:studyId/problem-ids',
      {
        ...studyAccess('view'),
        schema: {
          tags,
          params: StudyParamsSchema,
          querystring: ProblemIdsQuerySchema,
          response: { 200: ProblemIdsResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        if (!(await storage.getStudy(request.params.studyId))) throw new AppError('not_found', 'no such study');
        // Ids only (tens of thousands fit in memory); filtering here keeps the picker's answers small.
        const all = await storage.work.listProblemIds(request.params.studyId);
        const q = request.query.q.trim().toLowerCase();
        const matches = q ? all.filter((id) => id.toLowerCase().includes(q)) : all;
        return { total: matches.length, ids: matches.slice(0, request.query.limit) };
      },
    );

    app.get(
      '/api/studies/:studyId/records',
      {
        ...studyAccess('view'),
        schema: {
          tags,
          params: StudyParamsSchema,
          querystring: RecordPageQuerySchema,
          response: { 200: RecordPageSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        if (!(await storage.getStudy(request.params.studyId))) throw new AppError('not_found', 'no such study');
        return storage.listRecords(request.params.studyId, request.query);
      },
    );

    app.get(
      '/api/studies/:studyId/records/:problemId',
      {
        ...studyAccess('view'),
        schema: { tags, params: RecordParamsSchema, response: { 200: RecordResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const record = await storage.getRecord(request.params.studyId, request.params.problemId);
        if (!record) throw new AppError('not_found', 'no such record in this study');
        return { record };
      },
    );
  };
}
