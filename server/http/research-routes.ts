import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, RunParamsSchema, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  RunEpisodesPageSchema,
  RunEpisodesQuerySchema,
  RunResponseSchema,
  RunsResponseSchema,
  RunStartedSchema,
} from '../../shared/schemas/api-research.ts';
import { StartRunBodySchema } from '../../shared/schemas/research.ts';
import type { BatchRuns } from '../services/research/batch-runs.ts';
import type { Storage } from '../storage/storage.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import { auditWhenSent } from './audit-on-send.ts';
import { requestResearcher, runAccess, studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';
import { fileResponse, FILE_TYPES, sendFile } from './file-response.ts';

const runTags = ['runs'];

/** Batch runs started from the researcher's browser: start, list, progress, episodes, cancel, results file. */
export function researchRoutes(storage: Storage, runs: BatchRuns) {
  const requireStudy = async (studyId: string): Promise<void> => {
    if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
  };
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);

    app.post(
      '/api/studies/:studyId/runs',
      {
        ...studyAccess('work'),
        schema: {
          tags: runTags,
          params: StudyParamsSchema,
          body: StartRunBodySchema,
          response: { 202: RunStartedSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { run, resumedFrom } = await runs.start(request.params.studyId, request.body);
        return reply.code(202).send({ runId: run.id, resumedFrom, run });
      },
    );

    app.get(
      '/api/studies/:studyId/runs',
      {
        ...studyAccess('view'),
        schema: { tags: runTags, params: StudyParamsSchema, response: { 200: RunsResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        await requireStudy(request.params.studyId);
        return { runs: await runs.list(request.params.studyId) };
      },
    );

    app.get(
      '/api/runs/:runId',
      {
        ...runAccess('view'),
        schema: { tags: runTags, params: RunParamsSchema, response: { 200: RunResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const run = await runs.get(request.params.runId);
        if (!run) throw new AppError('not_found', 'no such run');
        return { run };
      },
    );

    // A run's episodes, a page at a time (the console's episode list; a 5,000-record run has 15,000), paged in SQL.
    app.get(
      '/api/runs/:runId/episodes',
      {
        ...runAccess('view'),
        schema: {
          tags: runTags,
          params: RunParamsSchema,
          querystring: RunEpisodesQuerySchema,
          response: { 200: RunEpisodesPageSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { runId } = request.params;
        if (!(await runs.get(runId))) throw new AppError('not_found', 'no such run');
        const { offset, limit } = request.query;
        return {
          total: await storage.countEpisodes({ runId }),
          episodes: await storage.listEpisodes({ runId, offset, limit }),
        };
      },
    );

    app.post(
      '/api/runs/:runId/cancel',
      {
        ...runAccess('work'),
        schema: { tags: runTags, params: RunParamsSchema, response: { 200: RunResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => ({ run: await runs.cancel(request.params.runId) }),
    );

    app.get(
      '/api/runs/:runId/results.jsonl',
      {
        ...runAccess('view'),
        schema: {
          tags: runTags,
          params: RunParamsSchema,
          response: {
            200: fileResponse('The run’s results file (one result line per episode)', 'jsonl'),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { runId } = request.params;
        const file = await runs.resultsFile(runId);
        if (!file) throw new AppError('not_found', 'no such run');
        // The guard found the run's study, so it has one.
        const studyId = (await storage.access.studyOfRun(runId)) ?? '';
        const who = requestResearcher(request);
        auditWhenSent(request, () => recordAudit(storage, who, studyId, 'export', `run ${runId} results (jsonl)`));
        // A run that has not finished an episode yet has no file: its results so far are none.
        if (!file.exists && file.status !== 'running')
          throw new AppError('not_found', "this run's results file is not on the server");
        return sendFile(reply, {
          type: FILE_TYPES.jsonl,
          name: `run-${runId}-results.jsonl`,
          stream: file.exists ? createReadStream(file.path) : Readable.from([]),
        });
      },
    );
  };
}
