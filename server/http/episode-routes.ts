import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { EpisodeParamsSchema, ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  LiveEpisodesQuerySchema,
  LiveEpisodesResponseSchema,
  StoredEpisodeSchema,
} from '../../shared/schemas/api-research.ts';
import { StudyResultsSchema } from '../../shared/schemas/api-results.ts';
import { ResultsQuerySchema } from '../../shared/schemas/research.ts';
import { studyResults } from '../services/research/study-results.ts';
import type { PresenceReader } from '../services/live/presence.ts';
import type { Storage } from '../storage/storage.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import { auditWhenSent } from './audit-on-send.ts';
import { requireStudyAccess } from '../services/access/study-access.ts';
import { episodeAccess, requestResearcher, studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

/** Live-session monitoring, any episode's log, and a study's results: what the researcher's console reads. */
export function episodeRoutes(storage: Storage, presence: PresenceReader) {
  const requireStudy = async (studyId: string): Promise<void> => {
    if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
  };
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);

    app.get(
      '/api/studies/:studyId/live-episodes',
      {
        ...studyAccess('work'),
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
        const { status, offset, limit } = request.query;
        const filter = { studyId, ...(status ? { status } : {}) };
        const live = await storage.live.listLive({ ...filter, offset, limit });
        const total = await storage.live.countLive(filter);
        const participantIds = live.map((e) => e.participantId);
        const prolific = await storage.research.prolificIds(participantIds);
        const present = await presence.presenceOf([...new Set(participantIds)]);
        return {
          total,
          episodes: live.map((e) => ({
            ...e.summary,
            studyId: e.studyId,
            participantId: e.participantId,
            prolificPid: prolific.get(e.participantId)?.prolificPid ?? null,
            assignmentId: e.assignmentId,
            spec: e.spec,
            presence: present.get(e.participantId) ?? {
              state: 'disconnected' as const,
              since: null,
              lastInputAt: null,
            },
          })),
        };
      },
    );

    app.get(
      '/api/episodes/:episodeId',
      {
        ...episodeAccess('view'),
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
        if (live) {
          // A person's conversation is study work, not a result: collaborators and owners, and each look is logged.
          const who = requestResearcher(request);
          await requireStudyAccess(storage, who.researcherId, live.studyId, 'work');
          const detail = `episode ${episodeId} (${episode.summary.status})`;
          auditWhenSent(request, () => recordAudit(storage, who, live.studyId, 'open_transcript', detail));
        }
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
        ...studyAccess('view'),
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
