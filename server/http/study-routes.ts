import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  RecordPageQuerySchema,
  RecordPageSchema,
  RecordParamsSchema,
  RecordResponseSchema,
  StudiesResponseSchema,
} from '../../shared/schemas/api-studies.ts';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';

const tags = ['studies'];

/** Read-only study and record routes for researchers; imports and settings have their own routes. */
export function studyRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // Records carry personas' hidden preferences: researchers only.
    app.addHook('onRequest', requireResearcher);
    app.get(
      '/api/studies',
      { schema: { tags, response: { 200: StudiesResponseSchema, ...ERROR_RESPONSES } } },
      async () => ({ studies: await storage.listStudies() }),
    );

    app.get(
      '/api/studies/:studyId/records',
      {
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
      { schema: { tags, params: RecordParamsSchema, response: { 200: RecordResponseSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        const record = await storage.getRecord(request.params.studyId, request.params.problemId);
        if (!record) throw new AppError('not_found', 'no such record in this study');
        return { record };
      },
    );
  };
}
