import { OkSchema } from '../../../shared/schemas/api-common.ts';
import {
  CandidatesAddedSchema,
  CandidatesPreviewSchema,
  GoldAddedSchema,
  ImportedSchema,
  ImportRefusalDetailsSchema,
  InviteResponseSchema,
  InvitesResponseSchema,
  SettingsResponseSchema,
  WithdrawnSchema,
  type CandidatesPreview,
  type Imported,
  type ImportRefusalDetails,
  type Invite,
  type InviteRevokeMode,
  type UpdateInviteBody,
  type Withdrawn,
} from '../../../shared/schemas/api-studies.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import {
  type GoldItem,
  type LiveStudySettings,
  type LiveStudySettingsBody,
} from '../../../shared/schemas/live-study.ts';
import { AssignmentProgressSchema, type AssignmentProgress } from '../../../shared/schemas/assignment-progress.ts';
import { ApiError, getJson, postJson, putJson, requestJson } from './request.ts';

/**
 * A live study's settings, lifecycle, invitation links and assignment progress, and benchmark imports. Answers are
 * parsed with the schemas the routes declare (shared/schemas/api-*.ts); every call takes an optional AbortSignal last.
 */

const study = (studyId: string): string => `/api/studies/${encodeURIComponent(studyId)}`;

/** The saved settings, or null for a study that has never been configured (the server's 404 says so). */
export async function fetchSettings(studyId: string, signal?: AbortSignal): Promise<LiveStudySettings | null> {
  try {
    return (await getJson(`${study(studyId)}/settings`, SettingsResponseSchema, signal)).settings;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && /no live settings/.test(err.message)) return null;
    throw err;
  }
}

export async function saveSettings(
  studyId: string,
  body: LiveStudySettingsBody,
  signal?: AbortSignal,
): Promise<LiveStudySettings> {
  return (await putJson(`${study(studyId)}/settings`, body, SettingsResponseSchema, signal)).settings;
}

export type StudyTransition = 'open' | 'pause' | 'close';

export async function transitionStudy(
  studyId: string,
  action: StudyTransition,
  signal?: AbortSignal,
): Promise<LiveStudySettings> {
  return (await postJson(`${study(studyId)}/${action}`, {}, SettingsResponseSchema, signal)).settings;
}

export async function fetchInvites(studyId: string, signal?: AbortSignal): Promise<Invite[]> {
  return (await getJson(`${study(studyId)}/invites`, InvitesResponseSchema, signal)).invites;
}

export async function createInvite(studyId: string, role: ParticipantRole, signal?: AbortSignal): Promise<Invite> {
  return (await postJson(`${study(studyId)}/invites`, { role }, InviteResponseSchema, signal)).invite;
}

/** Changes a link's label, cap or expiry (null removes a cap or expiry). */
export async function updateInvite(
  studyId: string,
  code: string,
  body: UpdateInviteBody,
  signal?: AbortSignal,
): Promise<Invite> {
  const path = `${study(studyId)}/invites/${encodeURIComponent(code)}`;
  return (await requestJson(path, InviteResponseSchema, { method: 'PATCH', body, signal })).invite;
}

/** 'finish' lets people who joined through the link come back to finish; 'lock' ends their sessions. */
export async function revokeInvite(
  studyId: string,
  code: string,
  mode: InviteRevokeMode,
  signal?: AbortSignal,
): Promise<void> {
  const path = `${study(studyId)}/invites/${encodeURIComponent(code)}`;
  await requestJson(path, OkSchema, { method: 'DELETE', body: { mode }, signal });
}

export function fetchAssignments(studyId: string, signal?: AbortSignal): Promise<AssignmentProgress> {
  return getJson(`${study(studyId)}/assignments`, AssignmentProgressSchema, signal);
}

/** Queues a batch run's completed answers in the given conditions for rating (docs/studies-and-ratings.md). */
export function addRunAnswers(
  studyId: string,
  runId: string,
  modes: Mode[],
  signal?: AbortSignal,
): Promise<{ added: number; unchanged: number }> {
  return postJson(`${study(studyId)}/rating-candidates`, { runId, modes }, CandidatesAddedSchema, signal);
}

/** What `addRunAnswers` would add, by model and condition, without adding anything (the confirm dialog shows it). */
export function previewRunAnswers(
  studyId: string,
  runId: string,
  modes: Mode[],
  signal?: AbortSignal,
): Promise<CandidatesPreview> {
  return postJson(
    `${study(studyId)}/rating-candidates`,
    { runId, modes, dryRun: true },
    CandidatesPreviewSchema,
    signal,
  );
}

/** Takes a run's answers in these conditions that nobody has rated out of the rating queue; rated ones stay. */
export function withdrawRunAnswers(
  studyId: string,
  runId: string,
  modes: Mode[],
  signal?: AbortSignal,
): Promise<Withdrawn> {
  return postJson(`${study(studyId)}/rating-candidates/withdraw`, { runId, modes }, WithdrawnSchema, signal);
}

/** Adds one attention item: an answer written by the researcher and the scores a careful rater gives it. */
export async function addGoldItem(studyId: string, item: GoldItem, signal?: AbortSignal): Promise<void> {
  await postJson(`${study(studyId)}/gold-items`, { items: [item] }, GoldAddedSchema, signal);
}

/** A file with errors: nothing was stored; the counts and (at most 500) issues by line. */
export type ImportRefusal = { error: 'invalid_file'; message: string } & ImportRefusalDetails;
export type ImportResult = ({ kind: 'imported' } & Imported) | ({ kind: 'invalid' } & ImportRefusal);

/**
 * Uploads a benchmark file into the named study (created if new). A file with errors is not an exception: its 422
 * refusal carries every issue by line in `details`, which is what the page shows. `skipImages`: an uploaded file has
 * no images beside it.
 */
export async function importBenchmark(
  file: File,
  studyName: string,
  skipImages: boolean,
  signal?: AbortSignal,
): Promise<ImportResult> {
  const query = new URLSearchParams({ study: studyName });
  if (skipImages) query.set('skipImages', '1');
  // Only a plain file name is accepted as the listed name; anything else is left to the server's default.
  if (/^[\w][\w .-]{0,199}$/.test(file.name)) query.set('filename', file.name);
  try {
    const imported = await requestJson(`/api/studies/import?${query.toString()}`, ImportedSchema, {
      method: 'POST',
      file: { data: file, contentType: 'application/x-ndjson' },
      signal,
    });
    return { kind: 'imported', ...imported };
  } catch (err) {
    const report =
      err instanceof ApiError && err.status === 422 && err.code === 'invalid_file'
        ? ImportRefusalDetailsSchema.safeParse(err.details)
        : null;
    if (err instanceof ApiError && report?.success) {
      return { kind: 'invalid', error: 'invalid_file', message: err.message, ...report.data };
    }
    throw err;
  }
}
