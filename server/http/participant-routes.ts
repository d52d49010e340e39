import type { FastifyInstance } from 'fastify';
import type { Storage } from '../storage/storage.ts';
import { requireParticipant } from './guards.ts';

/**
 * What a participant's pages show before any work starts: the study's consent text and the instructions for their
 * role. Nothing about models, conditions or other participants.
 */
export function participantRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/participant/study', { preHandler: requireParticipant() }, async (request, reply) => {
      const identity = request.identity;
      if (identity?.kind !== 'participant')
        return reply.code(403).send({ error: 'forbidden', message: 'participants only' });
      const settings = await storage.work.getSettings(identity.studyId);
      return {
        role: identity.role,
        consentText: settings?.consentText ?? '',
        instructions:
          identity.role === 'actor' ? (settings?.instructions.actor ?? '') : (settings?.instructions.rater ?? ''),
        status: settings?.status ?? 'open',
      };
    });
  };
}
