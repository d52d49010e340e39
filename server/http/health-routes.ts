import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { HealthSchema } from '../../shared/schemas/study.ts';
import { APP_VERSION } from '../version.ts';

export async function healthRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/health',
    { schema: { tags: ['public'], response: { 200: HealthSchema, ...ERROR_RESPONSES } } },
    async () => ({ ok: true as const, version: APP_VERSION }),
  );
}
