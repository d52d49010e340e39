import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AckErrorCode } from '../../shared/protocol/acks.ts';
import { MODES, ModeSchema } from '../../shared/schemas/evaluation.ts';
import { GoldItemSchema, LiveStudySettingsBodySchema } from '../../shared/schemas/live-study.ts';
import { ServiceError } from '../services/studies/service-error.ts';
import type { StudyWork } from '../services/studies/study-work-service.ts';
import type { StudyTransition } from '../services/studies/study-settings.ts';
import { requireResearcher } from './guards.ts';
import { parseOrReply } from './parse-request.ts';

const StudyParams = z.object({ studyId: z.string().min(1).max(100) });
// Either chosen episodes, or a whole batch run's answers in the listed conditions.
const CandidatesBody = z.union([
  z.strictObject({ episodeIds: z.array(z.string().min(1).max(200)).min(1).max(10_000) }),
  z.strictObject({ runId: z.string().min(1).max(200), modes: z.array(ModeSchema).min(1).max(MODES.length) }),
]);
const GoldBody = z.strictObject({ items: z.array(GoldItemSchema).min(1).max(1000) });

const STATUS: Partial<Record<AckErrorCode, number>> = {
  invalid_payload: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  study_closed: 409,
  no_work: 404,
};

function sendServiceError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof ServiceError)) throw error;
  // ServiceError messages are written for people; anything else goes to the app's error handler (500, no text).
  return reply
    .code(STATUS[error.ackCode] ?? 500)
    .send({ error: error.ackCode, message: error.message, ...(error.issues ? { issues: error.issues } : {}) });
}

/** Researcher routes for live studies: settings, open/pause/close, rating candidates, gold items, progress. */
export function studyWorkRoutes(work: StudyWork) {
  return async (app: FastifyInstance): Promise<void> => {
    const researcher = { preHandler: requireResearcher };
    const guarded = async <T>(reply: FastifyReply, call: () => Promise<T>): Promise<T | FastifyReply> => {
      try {
        return await call();
      } catch (error) {
        return sendServiceError(reply, error);
      }
    };

    app.get('/api/studies/:studyId/settings', researcher, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      if (!params) return reply;
      return guarded(reply, async () => {
        const settings = await work.getSettings(params.studyId);
        return settings
          ? { settings }
          : sendServiceError(reply, new ServiceError('not_found', 'this study has no live settings yet'));
      });
    });

    app.put('/api/studies/:studyId/settings', researcher, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const body = parseOrReply(LiveStudySettingsBodySchema, request.body ?? {}, reply);
      if (!params || !body) return reply;
      return guarded(reply, async () => ({ settings: await work.saveSettings(params.studyId, body) }));
    });

    for (const action of ['open', 'pause', 'close'] as const satisfies readonly StudyTransition[]) {
      app.post(`/api/studies/:studyId/${action}`, researcher, async (request, reply) => {
        const params = parseOrReply(StudyParams, request.params, reply);
        if (!params) return reply;
        return guarded(reply, async () => ({ settings: await work.transition(params.studyId, action) }));
      });
    }

    app.post('/api/studies/:studyId/rating-candidates', researcher, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const body = parseOrReply(CandidatesBody, request.body, reply);
      if (!params || !body) return reply;
      return guarded(reply, async () =>
        'runId' in body
          ? work.addRunAnswers(params.studyId, body.runId, body.modes)
          : work.addRatingCandidates(params.studyId, body.episodeIds),
      );
    });

    app.post('/api/studies/:studyId/gold-items', researcher, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const body = parseOrReply(GoldBody, request.body, reply);
      if (!params || !body) return reply;
      return guarded(reply, async () => work.addGoldItems(params.studyId, body.items));
    });

    app.get('/api/studies/:studyId/assignments', researcher, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      if (!params) return reply;
      return guarded(reply, async () => work.progress(params.studyId));
    });
  };
}
