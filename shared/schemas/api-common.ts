import { z } from 'zod';
import { ErrorBodySchema } from '../errors.ts';

/**
 * Pieces every part of the HTTP API shares (docs/researcher-api.md; the whole contract is served at
 * `/api/openapi.json`): path parameters, the `{ ok: true }` answer, and the error responses every route declares.
 */

export const StudyParamsSchema = z.object({ studyId: z.string().min(1).max(100) });
export type StudyParams = z.infer<typeof StudyParamsSchema>;

export const RunParamsSchema = z.object({ runId: z.string().min(1).max(100) });
export const EpisodeParamsSchema = z.object({ episodeId: z.string().min(1).max(200) });

/** Paging of a long list; lists differ only in how many rows one page may hold. */
export function pageQuerySchema(defaultLimit: number, maxLimit: number) {
  return z.object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit),
  });
}

export const OkSchema = z.object({ ok: z.literal(true) });

/** Every route may refuse (4xx, including 401/403 from its guard) or fail (5xx); the body is always an ErrorBody. */
export const ERROR_RESPONSES = { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema } as const;

/** `GET /api/openapi.json`: the OpenAPI 3 document of this API, generated from the routes' schemas. */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
