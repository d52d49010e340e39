import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import {
  PersonaParamsSchema,
  PersonaResponseSchema,
  PersonasResponseSchema,
} from '../../shared/schemas/api-studies.ts';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';

const tags = ['personas'];

/** The persona library (personas/), researchers only. */
export function personaRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.addHook('onRequest', requireResearcher);
    app.get(
      '/api/personas',
      { schema: { tags, response: { 200: PersonasResponseSchema, ...ERROR_RESPONSES } } },
      async () => ({ personas: await storage.listLibraryPersonas() }),
    );

    app.get(
      '/api/personas/:personaId',
      { schema: { tags, params: PersonaParamsSchema, response: { 200: PersonaResponseSchema, ...ERROR_RESPONSES } } },
      async (request) => {
        const persona = await storage.getPersona(request.params.personaId);
        if (!persona) throw new AppError('not_found', 'no such persona');
        return { persona };
      },
    );
  };
}
