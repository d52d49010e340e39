import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { PromptPacksResponseSchema } from '../../shared/schemas/api-prompt-packs.ts';
import type { StudyPromptPacks } from '../services/studies/study-prompt-packs.ts';
import { researcherOnly } from './guards.ts';
import { noStore } from './no-store.ts';

/**
 * `GET /api/prompt-packs`: the packs in the server's prompts folder with their names and hashes, so the study settings
 * offer them by folder name (docs/prompt-packs.md). Each call reads the folder again: an operator adding a pack needs
 * no restart.
 */
export function promptPackRoutes(packs: StudyPromptPacks) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);
    app.get(
      '/api/prompt-packs',
      {
        ...researcherOnly,
        schema: { tags: ['live studies'], response: { 200: PromptPacksResponseSchema, ...ERROR_RESPONSES } },
      },
      async () => ({ packs: packs.list() }),
    );
  };
}
