import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ImportQuerySchema } from '../../shared/schemas/research.ts';
import { IMPORT_BODY_LIMIT, importUpload } from '../services/research/import-upload.ts';
import type { Storage } from '../storage/storage.ts';
import { parseOrReply } from './parse-request.ts';
import { noStore, researcherOnly, sendResearchError } from './research-routes.ts';

const FILE_TYPES = ['application/x-ndjson', 'application/jsonl', 'text/plain'];

/** `POST /api/studies/import`: a benchmark file as the request body, validated in full and imported all or nothing. */
export function researchImportRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    noStore(app);
    // In this plugin only: the body stays a stream for the handler to write to disk, instead of a string in memory.
    // Such parsers are not held to bodyLimit by Fastify, so importUpload counts the bytes itself.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(FILE_TYPES, async (_request: unknown, payload: Readable) => payload);

    app.post('/api/studies/import', { ...researcherOnly, bodyLimit: IMPORT_BODY_LIMIT }, async (request, reply) => {
      const query = parseOrReply(ImportQuerySchema, request.query, reply);
      if (!query) return reply;
      if (Number(request.headers['content-length']) > IMPORT_BODY_LIMIT) {
        return reply
          .code(413)
          .send({ error: 'too_large', message: `the file is larger than ${IMPORT_BODY_LIMIT / 1024 / 1024} MB` });
      }
      if (request.body !== undefined && !(request.body instanceof Readable)) {
        return reply
          .code(415)
          .send({ error: 'unsupported_media_type', message: `send the file as ${FILE_TYPES.join(', ')}` });
      }
      try {
        const result = await importUpload(storage, request.body ?? null, {
          study: query.study,
          skipImages: query.skipImages,
          filename: query.filename,
        });
        if (result.kind === 'invalid') {
          const { kind: _kind, ...report } = result;
          return await reply
            .code(422)
            .send({ error: 'invalid_file', message: `not imported: ${result.errorCount} error(s) found`, ...report });
        }
        const { kind: _kind, ...imported } = result;
        return imported;
      } catch (error) {
        return sendResearchError(reply, error);
      }
    });
  };
}
