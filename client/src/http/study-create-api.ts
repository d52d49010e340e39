import {
  ProblemIdsResponseSchema,
  StudyResponseSchema,
  type CreateStudyBody,
  type ProblemIdsResponse,
} from '../../../shared/schemas/api-studies.ts';
import type { Study } from '../../../shared/schemas/study.ts';
import { getJson, postJson } from './request.ts';

/** Creating an empty study, and searching a study's problem ids (the settings' record picker). */

export async function createStudy(body: CreateStudyBody): Promise<Study> {
  return (await postJson('/api/studies', body, StudyResponseSchema)).study;
}

export function searchProblemIds(
  studyId: string,
  q: string,
  limit: number,
  signal?: AbortSignal,
): Promise<ProblemIdsResponse> {
  const query = new URLSearchParams({ q, limit: String(limit) });
  return getJson(
    `/api/studies/${encodeURIComponent(studyId)}/problem-ids?${query.toString()}`,
    ProblemIdsResponseSchema,
    signal,
  );
}
