import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { ParticipantStudySchema } from '../../shared/schemas/api-auth.ts';
import type { Storage } from '../storage/storage.ts';
import { participantOnly } from './guards.ts';

/**
 * What a participant's pages show before any work starts: the study's consent text and the instructions for their
 * role. Nothing about models, conditions or other participants.
 */
export function participantRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/participant/study',
      {
        ...participantOnly,
        schema: { tags: ['participant'], response: { 200: ParticipantStudySchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const identity = request.identity;
        if (identity?.kind !== 'participant') throw new AppError('forbidden', 'participants only');
        const settings = await storage.work.getSettings(identity.studyId);
        return {
          role: identity.role,
          consentText: settings?.consentText ?? '',
          instructions:
            identity.role === 'actor' ? (settings?.instructions.actor ?? '') : (settings?.instructions.rater ?? ''),
          status: settings?.status ?? 'open',
        };
      },
    );
  };
}
