import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { LibraryPersona } from '../../../shared/schemas/persona.ts';
import {
  PersonasResponseSchema,
  RecordPageSchema,
  RecordResponseSchema,
  StudiesResponseSchema,
  type RecordPage,
} from '../../../shared/schemas/api-studies.ts';
import { HealthSchema, type Health, type StudySummary } from '../../../shared/schemas/study.ts';
import { getJson } from './request.ts';

/**
 * The research screens' calls. Every response is parsed with the schema its route declares on the server
 * (shared/schemas/api-*.ts; see request.ts).
 */

export { ApiError, errorMessage, isAbort, isUnauthenticated } from './request.ts';
export type { RecordPage } from '../../../shared/schemas/api-studies.ts';

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return getJson('/api/health', HealthSchema, signal);
}

export async function fetchStudies(signal?: AbortSignal): Promise<StudySummary[]> {
  return (await getJson('/api/studies', StudiesResponseSchema, signal)).studies;
}

export function fetchRecordPage(
  studyId: string,
  page: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<RecordPage> {
  const query = new URLSearchParams({ offset: String(page.offset), limit: String(page.limit) });
  return getJson(`/api/studies/${encodeURIComponent(studyId)}/records?${query.toString()}`, RecordPageSchema, signal);
}

export async function fetchRecord(studyId: string, problemId: string, signal?: AbortSignal): Promise<BenchmarkRecord> {
  const path = `/api/studies/${encodeURIComponent(studyId)}/records/${encodeURIComponent(problemId)}`;
  return (await getJson(path, RecordResponseSchema, signal)).record;
}

export async function fetchPersonas(signal?: AbortSignal): Promise<LibraryPersona[]> {
  return (await getJson('/api/personas', PersonasResponseSchema, signal)).personas;
}
