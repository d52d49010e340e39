import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';
import { parseOrReply } from './parse-request.ts';

const StudyParams = z.object({ studyId: z.string().min(1).max(100) });
const RecordParams = StudyParams.extend({ problemId: z.string().min(1).max(500) });
const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Read-only study and record routes for researchers; imports and settings have their own routes. */
export function studyRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    // Records carry personas' hidden preferences: researchers only.
    app.addHook('preHandler', requireResearcher);
    app.get('/api/studies', async () => ({ studies: await storage.listStudies() }));

    app.get('/api/studies/:studyId/records', async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const query = parseOrReply(PageQuery, request.query, reply);
      if (!params || !query) return reply;
      if (!(await storage.getStudy(params.studyId)))
        return reply.code(404).send({ error: 'not_found', message: 'no such study' });
      return storage.listRecords(params.studyId, query);
    });

    app.get('/api/studies/:studyId/records/:problemId', async (request, reply) => {
      const params = parseOrReply(RecordParams, request.params, reply);
      if (!params) return reply;
      const record = await storage.getRecord(params.studyId, params.problemId);
      if (!record) return reply.code(404).send({ error: 'not_found', message: 'no such record in this study' });
      return { record };
    });
  };
}
