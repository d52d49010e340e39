import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import { ExportFileSchema } from '../../shared/schemas/research.ts';
import { EXPORT_COLUMNS, exportRows } from '../services/research/export-rows.ts';
import { encodeRows } from '../services/research/table-format.ts';
import type { Storage } from '../storage/storage.ts';
import { fileResponse, FILE_TYPES, sendFile } from './file-response.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import { auditWhenSent } from './audit-on-send.ts';
import { requestResearcher, studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

const ExportParams = StudyParamsSchema.extend({ file: ExportFileSchema });

/**
 * `GET /api/studies/:studyId/export/<table>.<format>`: streamed as it is read from storage, never built in memory.
 * Every table names people by the study's pseudonyms except `participants`, the payment list (docs/data-protection.md).
 */
export function researchExportRoutes(storage: Storage) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);
    app.get(
      '/api/studies/:studyId/export/:file',
      {
        ...studyAccess('view'),
        schema: {
          tags: ['exports'],
          params: ExportParams,
          response: {
            200: fileResponse('One table of the study as CSV or JSON Lines', 'csv', 'jsonl'),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { studyId, file } = request.params;
        const study = await storage.getStudy(studyId);
        if (!study) throw new AppError('not_found', 'no such study');
        const { table, format } = file;
        const who = requestResearcher(request);
        auditWhenSent(request, () => recordAudit(storage, who, studyId, 'export', `${table} (${format})`));
        const rows = exportRows(storage, studyId, table);
        // The payment list is the one file with real Prolific ids: its name says so, and so does a header.
        const payment = table === 'participants';
        const name = `${study.name.replace(/[^\w.-]+/g, '-')}-${payment ? 'participants-payment-list-real-prolific-ids' : table}.${format}`;
        reply.header('x-prefdisco-ids', payment ? 'real-prolific-ids' : 'pseudonymized');
        return sendFile(reply, {
          type: FILE_TYPES[format],
          name,
          stream: Readable.from(encodeRows(format, EXPORT_COLUMNS[table], rows)),
        });
      },
    );
  };
}
