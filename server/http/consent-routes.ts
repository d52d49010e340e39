import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import { ConsentVersionsSchema } from '../../shared/schemas/consent.ts';
import { consentVersions } from '../services/consent/consent-versions.ts';
import type { Storage } from '../storage/storage.ts';
import { studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

/**
 * The consent texts a study's participants decided on, with their hashes: what the participants export's
 * `consent_version` names (docs/data-protection.md, "Consent records").
 */
export function consentRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(fastify);
    app.get(
      '/api/studies/:studyId/consent-versions',
      {
        ...studyAccess('view'),
        schema: {
          tags: ['live studies'],
          params: StudyParamsSchema,
          response: { 200: ConsentVersionsSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => consentVersions(storage, request.params.studyId),
    );
  };
}
