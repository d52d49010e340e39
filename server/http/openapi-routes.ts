import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import { ERROR_RESPONSES, OpenApiDocumentSchema } from '../../shared/schemas/api-common.ts';
import { APP_VERSION } from '../version.ts';

/** The document's header; @fastify/swagger fills in `paths` from every route's schema. */
export const OPENAPI_INFO: Partial<OpenAPIV3.Document> = {
  openapi: '3.0.3',
  info: {
    title: 'PrefDisco Live API',
    version: APP_VERSION,
    description:
      'The HTTP API of PrefDisco Live (docs/researcher-api.md). Sessions are an httpOnly cookie set by ' +
      '`POST /api/auth/login` or `POST /api/join/{code}`. Every error answer is `{ error, message, issues?, details? }` ' +
      'with `error` one of the closed codes of shared/errors.ts.',
  },
};

/**
 * `GET /api/openapi.json`: public, since it describes shapes, never data. Built from the same zod schemas that
 * validate every request and response, so it cannot drift from what the server does.
 */
export async function openApiRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/openapi.json',
    { schema: { tags: ['public'], response: { 200: OpenApiDocumentSchema, ...ERROR_RESPONSES } } },
    async () => OpenApiDocumentSchema.parse(fastify.swagger()),
  );
}
