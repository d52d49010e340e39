import type { ExportFormat, ExportTable } from '../../../shared/schemas/research.ts';

/**
 * Files the browser downloads itself, streamed to disk with the session cookie (plain links, no fetch): the pages
 * need only their addresses.
 */

export function runResultsUrl(runId: string): string {
  return `/api/runs/${encodeURIComponent(runId)}/results.jsonl`;
}

export function exportUrl(studyId: string, table: ExportTable, format: ExportFormat): string {
  return `/api/studies/${encodeURIComponent(studyId)}/export/${table}.${format}`;
}

/** One table of the agreement report (docs/agreement-report.md) as a file. */
export function agreementTableUrl(studyId: string, table: string, format: 'csv' | 'jsonl'): string {
  return `/api/studies/${encodeURIComponent(studyId)}/agreement/${encodeURIComponent(table)}.${format}`;
}
