import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import {
  EpisodeParamsSchema,
  ERROR_RESPONSES,
  RunParamsSchema,
  StudyParamsSchema,
} from '../../shared/schemas/api-common.ts';
import {
  LiveEpisodesQuerySchema,
  LiveEpisodesResponseSchema,
  RunEpisodesPageSchema,
  RunEpisodesQuerySchema,
  RunResponseSchema,
  RunsResponseSchema,
  RunStartedSchema,
  StoredEpisodeSchema,
} from '../../shared/schemas/api-research.ts';
import { StudyResultsSchema } from '../../shared/schemas/api-results.ts';
import { ResultsQuerySchema, StartRunBodySchema } from '../../shared/schemas/research.ts';
import type { BatchRuns } from '../services/research/batch-runs.ts';
import { studyResults } from '../services/research/study-results.ts';
import type { Storage } from '../storage/storage.ts';
import { researcherOnly } from './guards.ts';
import { noStore } from './no-store.ts';
import { fileResponse, FILE_TYPES, sendFile } from './file-response.ts';

const runTags = ['runs'];

/** Batch runs, live-session monitoring, episode logs and results: what the researcher's browser reads over HTTP. */
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
        ...researcherOnly,
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
        ...researcherOnly,
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
        ...researcherOnly,
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
        ...researcherOnly,
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
        ...researcherOnly,
        schema: { tags: runTags, params: RunParamsSchema, response: { 200: RunResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => ({ run: await runs.cancel(request.params.runId) }),
    );

    app.get(
      '/api/runs/:runId/results.jsonl',
      {
        ...researcherOnly,
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

    app.get(
      '/api/studies/:studyId/live-episodes',
      {
        ...researcherOnly,
        schema: {
          tags: ['live'],
          params: StudyParamsSchema,
          querystring: LiveEpisodesQuerySchema,
          response: { 200: LiveEpisodesResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId } = request.params;
        await requireStudy(studyId);
        const { status } = request.query;
        const live = await storage.live.listLive({ studyId, ...(status ? { status } : {}) });
        return {
          episodes: live.map((e) => ({
            ...e.summary,
            studyId: e.studyId,
            participantId: e.participantId,
            assignmentId: e.assignmentId,
            spec: e.spec,
          })),
        };
      },
    );

    app.get(
      '/api/episodes/:episodeId',
      {
        ...researcherOnly,
        schema: {
          tags: ['episodes'],
          params: EpisodeParamsSchema,
          response: { 200: StoredEpisodeSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { episodeId } = request.params;
        const episode = await storage.getEpisode(episodeId);
        if (!episode) throw new AppError('not_found', 'no such episode');
        const live = await storage.live.get(episodeId);
        return {
          summary: episode.summary,
          live: live
            ? {
                studyId: live.studyId,
                participantId: live.participantId,
                assignmentId: live.assignmentId,
                spec: live.spec,
              }
            : null,
          twins: live ? await storage.live.twinsOf(episodeId) : [],
          events: episode.events,
        };
      },
    );

    app.get(
      '/api/studies/:studyId/results',
      {
        ...researcherOnly,
        schema: {
          tags: ['results'],
          params: StudyParamsSchema,
          querystring: ResultsQuerySchema,
          response: { 200: StudyResultsSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        await requireStudy(request.params.studyId);
        return studyResults(storage, request.params.studyId, request.query);
      },
    );
  };
}
