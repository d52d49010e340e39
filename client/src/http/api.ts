import { z } from 'zod';
import { BenchmarkRecordSchema, type BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { LibraryPersonaSchema, type LibraryPersona } from '../../../shared/schemas/persona.ts';
import {
  HealthSchema,
  RecordSummarySchema,
  StudySummarySchema,
  type Health,
  type RecordSummary,
  type StudySummary,
} from '../../../shared/schemas/study.ts';
import { getJson } from './request.ts';

/** The research screens' calls. Every response is parsed with the shared zod contract (see request.ts). */

export { ApiError, errorMessage, isAbort, isUnauthenticated } from './request.ts';

const StudiesResponse = z.object({ studies: z.array(StudySummarySchema) });
const RecordPageResponse = z.object({ total: z.number().int().min(0), items: z.array(RecordSummarySchema) });
const RecordResponse = z.object({ record: BenchmarkRecordSchema });
const PersonasResponse = z.object({ personas: z.array(LibraryPersonaSchema) });

export interface RecordPage {
  total: number;
  items: RecordSummary[];
}

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return getJson('/api/health', HealthSchema, signal);
}

export async function fetchStudies(signal?: AbortSignal): Promise<StudySummary[]> {
  return (await getJson('/api/studies', StudiesResponse, signal)).studies;
}

export function fetchRecordPage(
  studyId: string,
  page: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<RecordPage> {
  const query = new URLSearchParams({ offset: String(page.offset), limit: String(page.limit) });
  return getJson(`/api/studies/${encodeURIComponent(studyId)}/records?${query.toString()}`, RecordPageResponse, signal);
}

export async function fetchRecord(studyId: string, problemId: string, signal?: AbortSignal): Promise<BenchmarkRecord> {
  const path = `/api/studies/${encodeURIComponent(studyId)}/records/${encodeURIComponent(problemId)}`;
  return (await getJson(path, RecordResponse, signal)).record;
}

export async function fetchPersonas(signal?: AbortSignal): Promise<LibraryPersona[]> {
  return (await getJson('/api/personas', PersonasResponse, signal)).personas;
}
