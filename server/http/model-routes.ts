import type { FastifyInstance } from 'fastify';
import type { ModelLookup } from '../services/research/run-options.ts';
import { noStore, researcherOnly } from './research-routes.ts';

/**
 * `GET /api/models`: the declared model names, so the researcher's forms offer them instead of making people guess.
 * `available` is false for a declared model this server cannot call (its API key variable is not set).
 */
export function modelRoutes(models: ModelLookup) {
  return async (app: FastifyInstance): Promise<void> => {
    noStore(app);
    app.get('/api/models', researcherOnly, async () => ({
      models: models.names().map((name) => ({ name, available: usable(models, name) })),
    }));
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
