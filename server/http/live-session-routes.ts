import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES, OkSchema, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  LiveUnitsQuerySchema,
  LiveUnitsSchema,
  ReasonBodySchema,
  StudyAssignmentParamsSchema,
  StudyEpisodeParamsSchema,
} from '../../shared/schemas/api-live-sessions.ts';
import type { LiveSessions } from '../services/live/live-sessions.ts';
import { listLiveUnits, releaseHeldUnit } from '../services/live/live-units.ts';
import type { Storage } from '../storage/storage.ts';
import { studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

/**
 * The researcher's oversight of live play: the units participants hold (to spot hoarding), ending a stuck session
 * with a reason (the actor sees it end), and releasing a unit held without a session. Researchers only.
 */
export function liveSessionRoutes(storage: Storage, live: LiveSessions) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);

    app.get(
      '/api/studies/:studyId/live-units',
      {
        ...studyAccess('work'),
        schema: {
          tags: ['live'],
          params: StudyParamsSchema,
          querystring: LiveUnitsQuerySchema,
          response: { 200: LiveUnitsSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => listLiveUnits(storage, request.params.studyId, request.query),
    );

    app.post(
      '/api/studies/:studyId/episodes/:episodeId/end',
      {
        ...studyAccess('work'),
        schema: {
          tags: ['live'],
          params: StudyEpisodeParamsSchema,
          body: ReasonBodySchema,
          response: { 200: OkSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId, episodeId } = request.params;
        await live.endByResearcher(studyId, episodeId, request.body.reason);
        request.log.info({ studyId, episodeId, identity: request.identity }, 'a researcher ended a live session');
        return { ok: true as const };
      },
    );

    app.post(
      '/api/studies/:studyId/assignments/:assignmentId/release',
      {
        ...studyAccess('work'),
        schema: {
          tags: ['live'],
          params: StudyAssignmentParamsSchema,
          body: ReasonBodySchema,
          response: { 200: OkSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId, assignmentId } = request.params;
        await releaseHeldUnit(storage, studyId, assignmentId);
        // There is no episode to store the reason with: the log keeps it, with who released the unit.
        request.log.info(
          { studyId, assignmentId, reason: request.body.reason, identity: request.identity },
          'a researcher released a held unit',
        );
        return { ok: true as const };
      },
    );
  };
}
