import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorBodySchema } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { ImportedSchema, type ImportRefusalDetails } from '../../shared/schemas/api-studies.ts';
import { ImportQuerySchema } from '../../shared/schemas/research.ts';
import { IMPORT_BODY_LIMIT, importUpload } from '../services/research/import-upload.ts';
import type { BenchmarkImports } from '../services/benchmark/benchmark-imports.ts';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';
import { requestResearcher } from './study-guards.ts';
import { ownNewStudy, requireStudyAccess } from '../services/access/study-access.ts';
import { noStore } from './no-store.ts';

const FILE_TYPES = ['application/x-ndjson', 'application/jsonl', 'text/plain'];

/** `POST /api/studies/import`: a benchmark file as the request body, validated in full and imported all or nothing. */
export function researchImportRoutes(storage: Storage, imports: BenchmarkImports) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);
    // In this plugin only: the body stays a stream for the handler to write to disk, instead of a string in memory.
    // Such parsers are not held to bodyLimit by Fastify, so importUpload counts the bytes itself.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(FILE_TYPES, async (_request: unknown, payload: Readable) => payload);

    app.post(
      '/api/studies/import',
      {
        // Into an existing study: collaborators and owners only; a new study's creator becomes its owner.
        onRequest: async (request) => {
          await requireResearcher(request);
          const name = (request.query as Record<string, unknown> | undefined)?.['study'];
          const existing = typeof name === 'string' ? await storage.findStudyByName(name.trim()) : null;
          if (existing) await requireStudyAccess(storage, requestResearcher(request).researcherId, existing.id, 'work');
        },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['imports'],
          description: `The request body is the benchmark file (JSON Lines) sent as ${FILE_TYPES.join(', ')}.`,
          querystring: ImportQuerySchema,
          response: {
            200: ImportedSchema,
            422: ErrorBodySchema.extend({ error: z.literal('invalid_file') }).describe(
              'The file has errors and nothing was stored; `details` holds the counts and the issues by line',
            ),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        if (Number(request.headers['content-length']) > IMPORT_BODY_LIMIT) {
          throw new AppError('payload_too_large', `the file is larger than ${IMPORT_BODY_LIMIT / 1024 / 1024} MB`);
        }
        const body = request.body;
        if (body !== undefined && !(body instanceof Readable)) {
          throw new AppError('unsupported_media_type', `send the file as ${FILE_TYPES.join(', ')}`);
        }
        const { study, skipImages, filename } = request.query;
        const result = await importUpload(storage, body ?? null, { study, skipImages, filename, imports });
        if (result.kind === 'invalid') {
          const { kind: _kind, ...report } = result;
          const details: ImportRefusalDetails = report;
          throw new AppError('invalid_file', `not imported: ${result.errorCount} error(s) found`, { details });
        }
        const { kind: _kind, ...imported } = result;
        if (imported.outcome.studyCreated)
          await ownNewStudy(storage, imported.outcome.studyId, requestResearcher(request).researcherId);
        return imported;
      },
    );
  };
}
