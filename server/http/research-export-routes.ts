import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ExportFileSchema } from '../../shared/schemas/research.ts';
import { EXPORT_COLUMNS, exportRows } from '../services/research/export-rows.ts';
import { encodeRows } from '../services/research/table-format.ts';
import type { Storage } from '../storage/storage.ts';
import { parseOrReply } from './parse-request.ts';
import { noStore, researcherOnly, StudyParams } from './research-routes.ts';

const ExportParams = StudyParams.extend({ file: ExportFileSchema });

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

/** `GET /api/studies/:studyId/export/<table>.<format>`: streamed as it is read from storage, never built in memory. */
export function researchExportRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    noStore(app);
    app.get('/api/studies/:studyId/export/:file', researcherOnly, async (request, reply) => {
      const params = parseOrReply(ExportParams, request.params, reply);
      if (!params) return reply;
      const study = await storage.getStudy(params.studyId);
      if (!study) return reply.code(404).send({ error: 'not_found', message: 'no such study' });
      const { table, format } = params.file;
      const rows = exportRows(storage, params.studyId, table);
      const name = `${study.name.replace(/[^\w.-]+/g, '-')}-${table}.${format}`;
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Readable.from(encodeRows(format, EXPORT_COLUMNS[table], rows)));
    });
  };
}
