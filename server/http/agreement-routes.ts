import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import { AgreementFileSchema, AgreementReportSchema, AgreementSettingsSchema } from '../../shared/schemas/agreement.ts';
import type { AgreementReports } from '../services/agreement/report-pool.ts';
import { AGREEMENT_COLUMNS, agreementRows } from '../services/agreement/report-tables.ts';
import { encodeRows, type Row } from '../services/research/table-format.ts';
import { fileResponse, FILE_TYPES, sendFile } from './file-response.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import { auditWhenSent } from './audit-on-send.ts';
import type { Storage } from '../storage/storage.ts';
import { requestResearcher, studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

const FileParams = StudyParamsSchema.extend({ file: AgreementFileSchema });
const tags = ['agreement'];

async function* each(rows: readonly Row[]): AsyncGenerator<Row> {
  yield* rows;
}

/**
 * The agreement report of a study (docs/agreement-report.md), members of the study (viewer and up): `GET …/agreement` is the whole report
 * as JSON; `GET …/agreement/<table>.<csv|jsonl>` one of its tables. Query: `epsilon`, `resamples`, `seed`. Reports
 * are computed by `reports`: in the server on a thread of their own, so the live loop goes on answering participants.
 */
export function agreementRoutes(reports: AgreementReports, storage: Pick<Storage, 'access'>) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);

    app.get(
      '/api/studies/:studyId/agreement',
      {
        ...studyAccess('view'),
        schema: {
          tags,
          params: StudyParamsSchema,
          querystring: AgreementSettingsSchema,
          response: { 200: AgreementReportSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const report = await reports.report(request.params.studyId, request.query);
        if (!report) throw new AppError('not_found', 'no such study');
        return report;
      },
    );

    app.get(
      '/api/studies/:studyId/agreement/:file',
      {
        ...studyAccess('view'),
        schema: {
          tags,
          params: FileParams,
          querystring: AgreementSettingsSchema,
          response: { 200: fileResponse('One table of the agreement report', 'csv', 'jsonl'), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const report = await reports.report(request.params.studyId, request.query);
        if (!report) throw new AppError('not_found', 'no such study');
        const { table, format } = request.params.file;
        const name = `${report.studyName.replace(/[^\w.-]+/g, '-')}-agreement-${table}.${format}`;
        const who = requestResearcher(request);
        const { studyId } = request.params;
        auditWhenSent(request, () => recordAudit(storage, who, studyId, 'export', `agreement ${table} (${format})`));
        const rows = each(agreementRows(report, table));
        return sendFile(reply, {
          type: FILE_TYPES[format],
          name,
          stream: Readable.from(encodeRows(format, AGREEMENT_COLUMNS[table], rows)),
        });
      },
    );
  };
}
