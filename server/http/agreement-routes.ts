import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AgreementFileSchema, AgreementSettingsSchema } from '../../shared/schemas/agreement.ts';
import { agreementReport } from '../services/agreement/agreement-report.ts';
import { AGREEMENT_COLUMNS, agreementRows } from '../services/agreement/report-tables.ts';
import { encodeRows, type Row } from '../services/research/table-format.ts';
import type { Storage } from '../storage/storage.ts';
import { parseOrReply } from './parse-request.ts';
import { noStore, researcherOnly, StudyParams } from './research-routes.ts';

const FileParams = StudyParams.extend({ file: AgreementFileSchema });
const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

async function* each(rows: readonly Row[]): AsyncGenerator<Row> {
  yield* rows;
}

/**
 * The agreement report of a study (docs/agreement-report.md), researchers only: `GET …/agreement` is the whole report
 * as JSON; `GET …/agreement/<table>.<csv|jsonl>` one of its tables. Query: `epsilon`, `resamples`, `seed`.
 */
export function agreementRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    noStore(app);
    const noStudy = { error: 'not_found', message: 'no such study' };

    app.get('/api/studies/:studyId/agreement', researcherOnly, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      const query = parseOrReply(AgreementSettingsSchema, request.query ?? {}, reply);
      if (!params || !query) return reply;
      const report = await agreementReport(storage, params.studyId, query);
      return report ?? reply.code(404).send(noStudy);
    });

    app.get('/api/studies/:studyId/agreement/:file', researcherOnly, async (request, reply) => {
      const params = parseOrReply(FileParams, request.params, reply);
      const query = parseOrReply(AgreementSettingsSchema, request.query ?? {}, reply);
      if (!params || !query) return reply;
      const report = await agreementReport(storage, params.studyId, query);
      if (!report) return reply.code(404).send(noStudy);
      const { table, format } = params.file;
      const name = `${report.studyName.replace(/[^\w.-]+/g, '-')}-agreement-${table}.${format}`;
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Readable.from(encodeRows(format, AGREEMENT_COLUMNS[table], each(agreementRows(report, table)))));
    });
  };
}
