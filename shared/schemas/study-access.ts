import { z } from 'zod';
import { pageQuerySchema, StudyParamsSchema } from './api-common.ts';

/**
 * Who may do what in one study (docs/data-protection.md, "Researcher access"). Every researcher route and socket event
 * about a study names the least access it needs, and the server checks the caller's role in that study before it reads
 * the body. A researcher with no role in a study is told the study does not exist.
 *
 * - viewer: reads results, agreement and exports; nothing that shows a live transcript or changes anything.
 * - collaborator: everything a viewer may, plus all the study's work (settings, imports, invites, runs, live monitor,
 *   assignments); not deletion of participants' data and not sharing.
 * - owner: everything, including deleting participants' data, sharing the study, and reading its audit log.
 */
export const STUDY_ROLES = ['owner', 'collaborator', 'viewer'] as const;
export const StudyRoleSchema = z.enum(STUDY_ROLES);
export type StudyRole = z.infer<typeof StudyRoleSchema>;

/** The access a route or event needs: 'view' (viewer and up), 'work' (collaborator and up), 'manage' (owner). */
export const STUDY_ACCESS = ['view', 'work', 'manage'] as const;
export type StudyAccess = (typeof STUDY_ACCESS)[number];

const LEAST_ROLE: Record<StudyAccess, StudyRole> = { view: 'viewer', work: 'collaborator', manage: 'owner' };
const RANK: Record<StudyRole, number> = { viewer: 0, collaborator: 1, owner: 2 };

/** Whether `role` grants `access`: the one rule the server enforces and the console uses to show or hide controls. */
export function roleAllows(role: StudyRole, access: StudyAccess): boolean {
  return RANK[role] >= RANK[LEAST_ROLE[access]];
}

/** One researcher's role in a study. `addedBy` is null for roles given by the upgrade that introduced roles. */
export const StudyMemberSchema = z.object({
  researcherId: z.string(),
  username: z.string(),
  role: StudyRoleSchema,
  addedAt: z.string(),
  addedBy: z.string().nullable(),
});
export type StudyMember = z.infer<typeof StudyMemberSchema>;

/** `GET /api/studies/:studyId/members` (any member): who has access, owners first, then by username. */
export const StudyMembersResponseSchema = z.object({ members: z.array(StudyMemberSchema) });
export type StudyMembersResponse = z.infer<typeof StudyMembersResponseSchema>;

/** `POST /api/studies/:studyId/members` (owner): give an existing researcher account a role. 409 if it has one. */
export const AddStudyMemberBodySchema = z.strictObject({
  username: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  role: StudyRoleSchema,
});
export type AddStudyMemberBody = z.infer<typeof AddStudyMemberBodySchema>;
export const StudyMemberResponseSchema = z.object({ member: StudyMemberSchema });

/**
 * `PUT /api/studies/:studyId/members/:researcherId` (owner): change a role; `DELETE` on the same path removes it.
 * A study always keeps one owner: demoting or removing the last one is refused with 409 `conflict`.
 */
export const StudyMemberParamsSchema = StudyParamsSchema.extend({ researcherId: z.string().min(1).max(100) });
export const ChangeStudyMemberBodySchema = z.strictObject({ role: StudyRoleSchema });
export type ChangeStudyMemberBody = z.infer<typeof ChangeStudyMemberBodySchema>;

/** What the audit log records: data leaving the app, data deleted, settings changed, transcripts read, access shared. */
export const AUDIT_ACTIONS = [
  'export',
  'delete_participant',
  'change_settings',
  'open_transcript',
  'add_member',
  'change_member',
  'remove_member',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/**
 * One audit entry. `username` is kept as it was at the time, so the log stays readable if an account is renamed or
 * removed; `detail` says which export, participant (by pseudonym), setting fields, episode or member it was about.
 */
export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  researcherId: z.string(),
  username: z.string(),
  action: AuditActionSchema,
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** `GET /api/studies/:studyId/audit?offset&limit` (owner): newest first. */
export const AuditQuerySchema = pageQuerySchema(100, 1000);
export const AuditPageSchema = z.object({ total: z.number().int().min(0), items: z.array(AuditEntrySchema) });
export type AuditPage = z.infer<typeof AuditPageSchema>;
