import { z } from 'zod';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import {
  LiveStudySettingsSchema,
  type LiveStudySettings,
  type LiveStudySettingsBody,
} from '../../../shared/schemas/live-study.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { AssignmentProgress, GoldItem } from '../../../shared/schemas/live-study.ts';
import {
  AssignmentProgressSchema,
  ImportedSchema,
  ImportRefusalSchema,
  InviteSchema,
  type Imported,
  type ImportRefusal,
  type Invite,
} from './research-schemas.ts';
import { ApiError, deleteJson, getJson, postJson, putJson, requestJson } from './request.ts';

/** A live study's settings, lifecycle, invitation links and assignment progress, and benchmark imports. */

const study = (studyId: string): string => `/api/studies/${encodeURIComponent(studyId)}`;
const SettingsResponse = z.object({ settings: LiveStudySettingsSchema });

/** The saved settings, or null for a study that has never been configured (the server's 404 says so). */
export async function fetchSettings(studyId: string, signal?: AbortSignal): Promise<LiveStudySettings | null> {
  try {
    return (await getJson(`${study(studyId)}/settings`, SettingsResponse, signal)).settings;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && /no live settings/.test(err.message)) return null;
    throw err;
  }
}

export async function saveSettings(studyId: string, body: LiveStudySettingsBody): Promise<LiveStudySettings> {
  return (await putJson(`${study(studyId)}/settings`, body, SettingsResponse)).settings;
}

export type StudyTransition = 'open' | 'pause' | 'close';

export async function transitionStudy(studyId: string, action: StudyTransition): Promise<LiveStudySettings> {
  return (await postJson(`${study(studyId)}/${action}`, {}, SettingsResponse)).settings;
}

export async function fetchInvites(studyId: string, signal?: AbortSignal): Promise<Invite[]> {
  return (await getJson(`${study(studyId)}/invites`, z.object({ invites: z.array(InviteSchema) }), signal)).invites;
}

export async function createInvite(studyId: string, role: ParticipantRole): Promise<Invite> {
  return (await postJson(`${study(studyId)}/invites`, { role }, z.object({ invite: InviteSchema }))).invite;
}

export async function revokeInvite(studyId: string, code: string): Promise<void> {
  await deleteJson(`${study(studyId)}/invites/${encodeURIComponent(code)}`, z.object({ ok: z.literal(true) }));
}

export function fetchAssignments(studyId: string, signal?: AbortSignal): Promise<AssignmentProgress> {
  return getJson(`${study(studyId)}/assignments`, AssignmentProgressSchema, signal);
}

const CandidatesAdded = z.object({ added: z.number().int(), unchanged: z.number().int() });

/** Queues a batch run's completed answers in the given conditions for rating (docs/studies-and-ratings.md). */
export function addRunAnswers(
  studyId: string,
  runId: string,
  modes: Mode[],
): Promise<{ added: number; unchanged: number }> {
  return postJson(`${study(studyId)}/rating-candidates`, { runId, modes }, CandidatesAdded);
}

/** Adds one attention item: an answer written by the researcher and the scores a careful rater gives it. */
export async function addGoldItem(studyId: string, item: GoldItem): Promise<void> {
  await postJson(`${study(studyId)}/gold-items`, { items: [item] }, z.object({ added: z.number().int() }));
}

export type ImportResult = ({ kind: 'imported' } & Imported) | ({ kind: 'invalid' } & ImportRefusal);

/**
 * Uploads a benchmark file into the named study (created if new). A file with errors is not an exception: its 422
 * body lists every issue by line, which is what the page shows. `skipImages`: an uploaded file has no images beside it.
 */
export async function importBenchmark(file: File, studyName: string, skipImages: boolean): Promise<ImportResult> {
  const query = new URLSearchParams({ study: studyName });
  if (skipImages) query.set('skipImages', '1');
  // Only a plain file name is accepted as the listed name; anything else is left to the server's default.
  if (/^[\w][\w .-]{0,199}$/.test(file.name)) query.set('filename', file.name);
  try {
    const imported = await requestJson(`/api/studies/import?${query.toString()}`, ImportedSchema, {
      method: 'POST',
      file: { data: file, contentType: 'application/x-ndjson' },
    });
    return { kind: 'imported', ...imported };
  } catch (err) {
    const refusal = err instanceof ApiError && err.status === 422 ? ImportRefusalSchema.safeParse(err.body) : null;
    if (refusal?.success) return { kind: 'invalid', ...refusal.data };
    throw err;
  }
}
