import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { ParticipantPreviewSchema, PreviewParamsSchema } from '../../shared/schemas/api-preview.ts';
import { participantPreview } from '../services/studies/participant-preview.ts';
import type { Storage } from '../storage/storage.ts';
import { studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

/**
 * The researcher's preview of the participant pages of one role: what a participant would be shown, read without
 * joining, so it takes no play unit or rating item and stores nothing (docs/researcher-console.md).
 */
export function previewRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(fastify);
    app.get(
      '/api/studies/:studyId/preview/:role',
      {
        ...studyAccess('work'),
        schema: {
          tags: ['live studies'],
          params: PreviewParamsSchema,
          response: { 200: ParticipantPreviewSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => participantPreview(storage, request.params.studyId, request.params.role),
    );
  };
}
