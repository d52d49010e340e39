import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ResultsQuerySchema, StartRunBodySchema } from '../../shared/schemas/research.ts';
import { ResearchError, type ResearchErrorCode } from '../services/research/research-error.ts';
import type { BatchRuns } from '../services/research/batch-runs.ts';
import { studyResults } from '../services/research/study-results.ts';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';
import { parseOrReply } from './parse-request.ts';

const STATUS: Record<ResearchErrorCode, number> = {
  not_found: 404,
  unknown_model: 400,
  model_unavailable: 400,
  no_records: 409,
  run_in_progress: 409,
  not_running: 409,
  too_large: 413,
  upload_failed: 400,
  conflict: 409,
  unavailable: 503,
};

/** A ResearchError as a response; anything else goes on to the app's error handler (500, no exception text). */
export function sendResearchError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof ResearchError)) throw error;
  return reply.code(STATUS[error.code]).send({ error: error.code, message: error.message, ...error.details });
}

export const StudyParams = z.object({ studyId: z.string().min(1).max(100) });
const RunParams = z.object({ runId: z.string().min(1).max(100) });
const EpisodeParams = z.object({ episodeId: z.string().min(1).max(200) });
const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const LiveQuery = z.object({ status: z.enum(['running', 'completed', 'failed', 'aborted']).optional() });

/** Researchers only, checked before the body is read. */
export const researcherOnly = { onRequest: requireResearcher };

/** Study data is not for shared caches or the browser's disk cache. */
export function noStore(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });
}

/** Batch runs, live-session monitoring, episode logs and results: what the researcher's browser reads over HTTP. */
export function researchRoutes(storage: Storage, runs: BatchRuns) {
  return async (app: FastifyInstance): Promise<void> => {
    noStore(app);
    const noStudy = (reply: FastifyReply): FastifyReply =>
      reply.code(404).send({ error: 'not_found', message: 'no such study' });

    app.post('/api/studies/:studyId/runs', researcherOnly, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const body = parseOrReply(StartRunBodySchema, request.body ?? {}, reply);
      if (!params || !body) return reply;
      try {
        const { run, resumedFrom } = await runs.start(params.studyId, body);
        return await reply.code(202).send({ runId: run.id, resumedFrom, run });
      } catch (error) {
        return sendResearchError(reply, error);
      }
    });

    app.get('/api/studies/:studyId/runs', researcherOnly, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      if (!params) return reply;
      if (!(await storage.getStudy(params.studyId))) return noStudy(reply);
      return { runs: await runs.list(params.studyId) };
    });

    app.get('/api/runs/:runId', researcherOnly, async (request, reply) => {
      const params = parseOrReply(RunParams, request.params, reply);
      if (!params) return reply;
      const run = await runs.get(params.runId);
      return run ? { run } : reply.code(404).send({ error: 'not_found', message: 'no such run' });
    });

    // A run's episodes, a page at a time (the console's episode list; a 5,000-record run has 15,000), paged in SQL.
    app.get('/api/runs/:runId/episodes', researcherOnly, async (request, reply) => {
      const params = parseOrReply(RunParams, request.params, reply);
      const query = parseOrReply(PageQuery, request.query ?? {}, reply);
      if (!params || !query) return reply;
      if (!(await runs.get(params.runId))) return reply.code(404).send({ error: 'not_found', message: 'no such run' });
      return {
        total: await storage.countEpisodes({ runId: params.runId }),
        episodes: await storage.listEpisodes({ runId: params.runId, offset: query.offset, limit: query.limit }),
      };
    });

    app.post('/api/runs/:runId/cancel', researcherOnly, async (request, reply) => {
      const params = parseOrReply(RunParams, request.params, reply);
      if (!params) return reply;
      try {
        return { run: await runs.cancel(params.runId) };
      } catch (error) {
        return sendResearchError(reply, error);
      }
    });

    app.get('/api/runs/:runId/results.jsonl', researcherOnly, async (request, reply) => {
      const params = parseOrReply(RunParams, request.params, reply);
      if (!params) return reply;
      const file = await runs.resultsFile(params.runId);
      if (!file) return reply.code(404).send({ error: 'not_found', message: 'no such run' });
      // A run that has not finished an episode yet has no file: its results so far are none.
      if (!file.exists && file.status !== 'running')
        return reply.code(404).send({ error: 'not_found', message: "this run's results file is not on the server" });
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="run-${params.runId}-results.jsonl"`)
        .send(file.exists ? createReadStream(file.path) : Readable.from([]));
    });

    app.get('/api/studies/:studyId/live-episodes', researcherOnly, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const query = parseOrReply(LiveQuery, request.query, reply);
      if (!params || !query) return reply;
      if (!(await storage.getStudy(params.studyId))) return noStudy(reply);
      const live = await storage.live.listLive({
        studyId: params.studyId,
        ...(query.status ? { status: query.status } : {}),
      });
      return {
        episodes: live.map((e) => ({
          ...e.summary,
          studyId: e.studyId,
          participantId: e.participantId,
          assignmentId: e.assignmentId,
          spec: e.spec,
        })),
      };
    });

    app.get('/api/episodes/:episodeId', researcherOnly, async (request, reply) => {
      const params = parseOrReply(EpisodeParams, request.params, reply);
      if (!params) return reply;
      const episode = await storage.getEpisode(params.episodeId);
      if (!episode) return reply.code(404).send({ error: 'not_found', message: 'no such episode' });
      const live = await storage.live.get(params.episodeId);
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
        twins: live ? await storage.live.twinsOf(params.episodeId) : [],
        events: episode.events,
      };
    });

    app.get('/api/studies/:studyId/results', researcherOnly, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const query = parseOrReply(ResultsQuerySchema, request.query, reply);
      if (!params || !query) return reply;
      if (!(await storage.getStudy(params.studyId))) return noStudy(reply);
      return studyResults(storage, params.studyId, query);
    });
  };
}
