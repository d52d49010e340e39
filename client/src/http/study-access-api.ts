import { OkSchema } from '../../../shared/schemas/api-common.ts';
import {
  AuditPageSchema,
  StudyMemberResponseSchema,
  StudyMembersResponseSchema,
  type AddStudyMemberBody,
  type AuditPage,
  type StudyMember,
  type StudyRole,
} from '../../../shared/schemas/study-access.ts';
import { deleteJson, getJson, postJson, putJson } from './request.ts';

/**
 * Who may work on a study (its members and their roles) and what they did (its audit log), per
 * shared/schemas/study-access.ts. Answers are parsed with the contract's schemas; every call takes an optional
 * AbortSignal last.
 */

const members = (studyId: string): string => `/api/studies/${encodeURIComponent(studyId)}/members`;
const member = (studyId: string, researcherId: string): string =>
  `${members(studyId)}/${encodeURIComponent(researcherId)}`;

/** Everyone with a role in the study, owners first, then by username. */
export async function fetchMembers(studyId: string, signal?: AbortSignal): Promise<StudyMember[]> {
  return (await getJson(members(studyId), StudyMembersResponseSchema, signal)).members;
}

/** Gives an existing researcher account a role (refused: unknown username, already a member). */
export async function addMember(studyId: string, body: AddStudyMemberBody, signal?: AbortSignal): Promise<StudyMember> {
  return (await postJson(members(studyId), body, StudyMemberResponseSchema, signal)).member;
}

/** Changes a member's role (refused when it would leave the study without an owner). */
export async function changeMemberRole(
  studyId: string,
  researcherId: string,
  role: StudyRole,
  signal?: AbortSignal,
): Promise<StudyMember> {
  return (await putJson(member(studyId, researcherId), { role }, StudyMemberResponseSchema, signal)).member;
}

/** Takes a member's role away (refused for the last owner). */
export async function removeMember(studyId: string, researcherId: string, signal?: AbortSignal): Promise<void> {
  await deleteJson(member(studyId, researcherId), OkSchema, signal);
}

/** One page of the study's audit log, newest first. */
export function fetchAuditPage(
  studyId: string,
  page: { offset: number; limit: number },
  signal?: AbortSignal,
): Promise<AuditPage> {
  const query = new URLSearchParams({ offset: String(page.offset), limit: String(page.limit) });
  return getJson(`/api/studies/${encodeURIComponent(studyId)}/audit?${query.toString()}`, AuditPageSchema, signal);
}
