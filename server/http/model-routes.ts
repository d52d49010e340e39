import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { ModelsResponseSchema } from '../../shared/schemas/api-research.ts';
import type { ModelLookup } from '../services/research/run-options.ts';
import { researcherOnly } from './guards.ts';
import { noStore } from './no-store.ts';

/**
 * `GET /api/models`: the declared model names, so the researcher's forms offer them instead of making people guess.
 * `available` is false for a declared model this server cannot call (its API key variable is not set).
 */
export function modelRoutes(models: ModelLookup) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);
    app.get(
      '/api/models',
      {
        ...researcherOnly,
        schema: { tags: ['research'], response: { 200: ModelsResponseSchema, ...ERROR_RESPONSES } },
      },
      async () => ({ models: models.names().map((name) => ({ name, available: usable(models, name) })) }),
    );
  };
}

function usable(models: ModelLookup, name: string): boolean {
  try {
    // The registry creates each provider once and shares it, so asking here costs nothing later.
    models.get(name);
    return true;
  } catch {
    return false;
  }
}
