import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { ParticipantStudySchema } from '../../shared/schemas/api-auth.ts';
import { ConsentBodySchema } from '../../shared/schemas/consent.ts';
import type { Identity, ParticipantRole } from '../../shared/schemas/identity.ts';
import { ParticipantJourneySchema, ScreeningBodySchema } from '../../shared/schemas/participant-outcome.ts';
import { answerScreening, participantJourney } from '../services/studies/participant-outcomes.ts';
import { participantIntro } from '../services/studies/participant-intro.ts';
import { decideConsent } from '../services/consent/consent-decisions.ts';
import type { Storage } from '../storage/storage.ts';
import { participantOnly } from './guards.ts';

function participantOf(identity: Identity | null): {
  studyId: string;
  participantId: string;
  role: ParticipantRole;
} {
  if (identity?.kind !== 'participant') throw new AppError('forbidden', 'participants only');
  return { studyId: identity.studyId, participantId: identity.participantId, role: identity.role };
}

/**
 * What a participant's pages show before any work starts: the study's consent text and the instructions for their
 * role; their way through the study (screening question, out-of-work policy, their stored end and its code); and
 * their answer to the screening question. Nothing about models, conditions or other participants.
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
          ...participantIntro(settings, identity.role),
          status: settings?.status ?? 'open',
        };
      },
    );

    app.get(
      '/api/participant/journey',
      {
        ...participantOnly,
        schema: { tags: ['participant'], response: { 200: ParticipantJourneySchema, ...ERROR_RESPONSES } },
      },
      async (request) => participantJourney(storage, participantOf(request.identity)),
    );

    app.post(
      '/api/participant/screening',
      {
        ...participantOnly,
        schema: {
          tags: ['participant'],
          body: ScreeningBodySchema,
          response: { 200: ParticipantJourneySchema, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        answerScreening({ storage, now: () => new Date() }, participantOf(request.identity), request.body.answer),
    );

    // The decision on the consent text the page showed (named by its SHA-256); the journey afterwards. A refusal
    // keeps only itself (docs/data-protection.md, "Consent records").
    app.post(
      '/api/participant/consent',
      {
        ...participantOnly,
        bodyLimit: 1024,
        schema: {
          tags: ['participant'],
          body: ConsentBodySchema,
          response: { 200: ParticipantJourneySchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const participant = participantOf(request.identity);
        await decideConsent({ storage, now: () => new Date() }, participant, request.body);
        return participantJourney(storage, participant);
      },
    );
  };
}
