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

/**
 * The only place the browser talks HTTP. Every response is parsed with the shared zod contract, so a server that
 * drifts from `shared/` fails loudly here instead of rendering half-empty screens.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The server answers {error, message}; request-validation failures carry {error, issues[]} instead of a message.
const ErrorBodySchema = z.looseObject({
  error: z.string().optional(),
  message: z.string().optional(),
  issues: z.array(z.looseObject({ path: z.string().optional(), message: z.string() })).optional(),
});

async function errorFrom(response: Response, what: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: typically the dev proxy's own page when the API server is down.
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { error, message, issues } = parsed.data;
    const detail = message ?? issues?.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    if (detail) return new ApiError(detail, response.status, error ?? null);
  }
  return new ApiError(`${what} failed with HTTP ${response.status} ${response.statusText}`.trim(), response.status, null);
}

async function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  const what = `GET ${path.split('?')[0]}`;
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(`Could not reach the PrefDisco server (${what}). Is it running?`, null, 'network');
  }
  if (!response.ok) throw await errorFrom(response, what);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`${what} did not return JSON`, response.status, 'bad_response');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(`${what} returned an unexpected shape:\n${z.prettifyError(parsed.error)}`, response.status, 'bad_response');
  }
  return parsed.data;
}

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

export function fetchRecordPage(studyId: string, page: { offset: number; limit: number }, signal?: AbortSignal): Promise<RecordPage> {
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

/** A message fit for an Alert, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when a request was cancelled because a newer one replaced it; such failures are not shown. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
